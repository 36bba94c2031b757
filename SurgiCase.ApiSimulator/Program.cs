var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiSimulator();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiSimulatorEndpoints();
app.Run();
