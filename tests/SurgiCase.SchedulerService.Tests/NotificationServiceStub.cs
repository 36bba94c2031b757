using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// NotificationService's alert and acknowledge endpoints on a loopback port, for the operations page's tests: one
/// critical alert (id 7) whose emailed link's token is <see cref="GoodToken"/>. The first acknowledgement wins, later
/// ones answer 409 as the service does; every call is recorded. The real service's token handling has its own tests
/// (NotificationService.Tests' AcknowledgementApiTests) and the whole path runs end to end on the AppHost.
/// </summary>
public sealed class NotificationServiceStub(string callerKey) : IAsyncLifetime
{
    public const string GoodToken = "good-token";
    public const long AlertId = 7;
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();
    private WebApplication? _app;
    private string? _acknowledgedBy;
    private DateTimeOffset? _acknowledgedAt;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Each acknowledge call: "token:{token}" or "id:{id}:{by}".</summary>
    public ConcurrentQueue<string> Acknowledgements { get; } = new();

    public async Task InitializeAsync()
    {
        (_app, BaseAddress) = await LoopbackKestrel.StartAsync(builder => builder.Services.AddProblemDetails(), app =>
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.Headers["X-Api-Key"] != callerKey)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await next(context);
            });
            app.MapGet("/notifications", () => Results.Ok(new[] { Alert() }));
            app.MapPost("/notifications/acknowledgements/lookup", (TokenBody body) =>
                body.Token == GoodToken ? Results.Ok(Alert()) : InvalidLink());
            app.MapPost("/notifications/acknowledgements", (TokenBody body) =>
            {
                Acknowledgements.Enqueue($"token:{body.Token}");
                return body.Token == GoodToken ? Acknowledge("a recipient of the email (acknowledge link)") : InvalidLink();
            });
            app.MapPost("/notifications/{id:long}/acknowledge", (long id, ByBody body) =>
            {
                Acknowledgements.Enqueue($"id:{id}:{body.By}");
                return id == AlertId ? Acknowledge($"{body.By} (operations page)") : Results.Problem(title: "Notification not found", statusCode: 404);
            });
        });
    }

    private IResult Acknowledge(string by)
    {
        lock (_gate)
        {
            if (_acknowledgedAt is not null)
            {
                return Results.Problem(title: "Already acknowledged",
                    detail: $"This alert was already acknowledged by {_acknowledgedBy} at 2026-01-05 09:10:00 UTC.", statusCode: 409);
            }

            (_acknowledgedBy, _acknowledgedAt) = (by, CreatedAt.AddMinutes(10));
            return Results.Ok(Alert());
        }
    }

    private object Alert()
    {
        lock (_gate)
        {
            return new
            {
                id = AlertId, messageType = "job-failed.v1", jobId = "weekly-provider-payment-report", jobName = "Weekly Provider Payment Report",
                errorKind = "http-status", subject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", status = "sent",
                channel = "email", recipients = new[] { "ops@surgicase.local" }, createdAt = CreatedAt, sentAt = CreatedAt, severity = "critical",
                acknowledgeable = true, acknowledgedAt = _acknowledgedAt, acknowledgedBy = _acknowledgedBy, remindersSent = 1,
                nextReminderAt = _acknowledgedAt is null ? CreatedAt.AddHours(1) : (DateTimeOffset?)null,
            };
        }
    }

    private static IResult InvalidLink() => Results.Problem(title: "Invalid link", detail: "This acknowledge link is not valid.", statusCode: 400);

    public Task DisposeAsync() => LoopbackKestrel.StopAsync(_app);

    private sealed record TokenBody(string? Token);

    private sealed record ByBody(string? By);
}
