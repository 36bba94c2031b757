using SurgiCase.LocalAwsProxy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLocalAwsProxy();

var app = builder.Build();
app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapLocalAwsProxyEndpoints();
app.Run();
public partial class Program;
