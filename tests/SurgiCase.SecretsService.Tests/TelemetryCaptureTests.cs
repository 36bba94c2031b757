using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>The leak guard only means something if it sees every test and can find a value; these prove both.</summary>
[Collection(MotoCollection.Name)]
public sealed class TelemetryCaptureTests
{
    [Fact]
    public void Every_test_class_is_in_the_collection_the_leak_guard_watches()
    {
        var outside = typeof(TelemetryCaptureTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .Where(t => t.GetCustomAttribute<CollectionAttribute>() is null
                || !t.CustomAttributes.Any(a => a.AttributeType == typeof(CollectionAttribute) && (string?)a.ConstructorArguments[0].Value == MotoCollection.Name))
            .Select(t => t.Name)
            .ToList();

        Assert.Empty(outside);
        Assert.Contains(typeof(MotoCollection).GetInterfaces(), i => i == typeof(ICollectionFixture<SecretLeakGuard>));
    }

    [Fact]
    public void Finds_a_value_or_one_of_its_fields_in_a_log_record_or_span()
    {
        var records = new[] { "log Some.Category answered for t1/main", "span x url.path=/secrets/t1/main", "log a field-value-123 leaked" };

        var leaks = TelemetryCapture.FindValues(records, ["""{"f":"field-value-123"}""", "field-value-123"]);

        Assert.Equal(["log a <SECRET VALUE> leaked"], leaks);
    }

    [Fact]
    public void Records_formatted_messages_state_values_exceptions_and_span_tags()
    {
        var marker = "capture-probe-" + Guid.NewGuid().ToString("N");
        using (var factory = LoggerFactory.Create(l => l.AddProvider(SecretLeakGuard.Capture.CreateLoggerProvider())))
        {
            var logger = factory.CreateLogger("probe");
            using (logger.BeginScope(new Dictionary<string, object?> { ["scoped"] = marker + "-scope" }))
            {
                logger.Log(LogLevel.Information, new EventId(1), new[] { KeyValuePair.Create<string, object?>("state", marker + "-state") }, new InvalidOperationException(marker + "-exception"), (_, _) => marker + "-message");
            }
        }

        using var source = new ActivitySource("SurgiCase.SecretsService.Tests.Probe");
        using (var activity = source.StartActivity("probe"))
        {
            activity?.SetTag("probe", marker + "-tag");
            activity?.AddEvent(new ActivityEvent("probe", tags: new ActivityTagsCollection { ["e"] = marker + "-event" }));
        }

        // Only this test's markers are searched: they are not seeded, so the guard at the end does not trip on them.
        foreach (var part in new[] { "-message", "-state", "-scope", "-exception", "-tag", "-event" })
        {
            Assert.NotEmpty(TelemetryCapture.FindValues(SecretLeakGuard.Capture.Lines, [marker + part]));
        }
    }
}
