var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulerService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSchedulerEndpoints();
app.Run();
