var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSecretsService();

var app = builder.Build();

app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapSecretsEndpoints();

app.Run();
