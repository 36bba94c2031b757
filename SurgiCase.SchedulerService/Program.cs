var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulerService();

var app = builder.Build();
app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapSchedulerEndpoints();
app.Run();
