using System.Collections.Concurrent;
using System.Diagnostics;
using SurgiCase.Testing;

namespace SurgiCase.Aws.Tests;

[Collection(MotoCollection.Name)]
public sealed class TelemetryTests(MotoServer moto) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == AwsTelemetry.ActivitySourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_call_gets_one_client_span_with_rpc_tags_and_no_secret_value()
    {
        Listen();
        var name = $"surgicase/telemetry-{Guid.NewGuid():N}";
        const string value = """{"password":"hunter2"}""";
        await moto.CreateSecretAsync(name, value);
        using var host = new AwsTestHost(moto.Url);

        await host.Secrets.GetSecretValueAsync(name);

        var span = Assert.Single(SpansFor(name));
        Assert.Equal("secretsmanager GetSecretValue", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("aws-api", span.GetTagItem("rpc.system"));
        Assert.Equal("secretsmanager", span.GetTagItem("rpc.service"));
        Assert.Equal("GetSecretValue", span.GetTagItem("rpc.method"));
        Assert.Null(span.GetTagItem("aws.error_code"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("hunter2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_failed_call_tags_the_error_code_and_marks_the_span_as_error()
    {
        Listen();
        var name = $"surgicase/telemetry-missing-{Guid.NewGuid():N}";
        using var host = new AwsTestHost(moto.Url);

        await Assert.ThrowsAsync<AwsServiceException>(() => host.Secrets.GetSecretValueAsync(name));

        var span = Assert.Single(SpansFor(name));
        Assert.Equal("ResourceNotFoundException", span.GetTagItem("aws.error_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    private void Listen()
    {
        _listener.ActivityStopped = _activities.Enqueue;
        ActivitySource.AddActivityListener(_listener);
    }

    // The listener is process-wide; other tests' spans are told apart by the unique secret name.
    private IEnumerable<Activity> SpansFor(string secretName) =>
        _activities.Where(a => Equals(a.GetTagItem("aws.secretsmanager.secret_id"), secretName));
}
