var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiSimulator();

var app = builder.Build();
app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapApiSimulatorEndpoints();
app.Run();
