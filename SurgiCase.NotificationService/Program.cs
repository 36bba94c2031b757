using SurgiCase.NotificationService;
using SurgiCase.NotificationService.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotificationService();

var app = builder.Build();
app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapNotificationEndpoints();
app.MapAcknowledgementEndpoints();
app.MapDeadLetterEndpoints();
app.MapApiDocument();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
