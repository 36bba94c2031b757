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

    /// <summary>The dead letter the stub lists (issue 19.4).</summary>
    public const string DeadLetterMessageId = "dlq-message-1";

    /// <summary>Each replay call: "replay:{messageId}:{by}" or "replay-all:{by}".</summary>
    public ConcurrentQueue<string> Replays { get; } = new();

    /// <summary>Each test alert asked for: the <c>by</c> it named. The first succeeds (id <see cref="TestAlertId"/>), later ones answer 502 as an undelivered one does.</summary>
    public ConcurrentQueue<string> TestAlerts { get; } = new();

    public const long TestAlertId = 8;

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
            app.MapGet("/dead-letters", () => Results.Ok(new
            {
                queue = "surgicase-job-events-dlq", approximateCount = 1, messages = new[]
                {
                    new
                    {
                        messageId = DeadLetterMessageId, eventId = "event-1", messageType = "job-failed.v1", jobId = "weekly-provider-payment-report",
                        jobName = "Weekly Provider Payment Report", reason = "email failed (SES MessageRejected (400)); alert sent to the fallback webhook",
                        poison = false, deadLetteredAt = CreatedAt, ageSeconds = 600L, deliveryStatus = "fallback-sent",
                    },
                },
            }));
            app.MapPost("/dead-letters/replay-all", (ByBody body) =>
            {
                Replays.Enqueue($"replay-all:{body.By}");
                return Results.Ok(new { replayed = new[] { new { messageId = DeadLetterMessageId } }, duplicatesRemoved = 0, skippedPoison = 0, remaining = 0 });
            });
            app.MapPost("/dead-letters/{id}/replay", (string id, ByBody body) =>
            {
                Replays.Enqueue($"replay:{id}:{body.By}");
                return id == DeadLetterMessageId
                    ? Results.Ok(new { replayed = new[] { new { messageId = id } }, duplicatesRemoved = 0, skippedPoison = 0, remaining = 0 })
                    : Results.Problem(title: "Not in the dead-letter queue", detail: "No dead-lettered message has that message id or event id.", statusCode: 404);
            });
            app.MapPost("/notifications/test", (ByBody body) =>
            {
                TestAlerts.Enqueue(body.By ?? "");
                return TestAlerts.Count == 1
                    ? Results.Ok(new
                    {
                        id = TestAlertId, messageType = "job-failed.v1", jobId = "test-job", jobName = "Test Job", subject = "🚨 CRITICAL: Scheduled Job Failed - Test Job",
                        status = "sent", channel = "email", recipients = new[] { "ops@surgicase.local" }, createdAt = CreatedAt, sentAt = CreatedAt,
                        requestedBy = $"{body.By} (operations page)",
                    })
                    : Results.Problem(title: "The test alert was not delivered", detail: "SES MessageRejected (400)", statusCode: 502);
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
