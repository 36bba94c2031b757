using System.Diagnostics.Metrics;

namespace SurgiCase.SecretsService;

/// <summary>Lookups by source, AWS calls by outcome; the breaker and staleness gauges are observed from the cache.</summary>
internal sealed class SecretsMetrics
{
    public const string MeterName = "SurgiCase.SecretsService";

    private readonly Counter<long> _lookups;
    private readonly Counter<long> _awsCalls;
    private readonly Counter<long> _joinedFetches;

    public SecretsMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _lookups = Meter.CreateCounter<long>("surgicase.secrets.lookups", "{lookup}", "Secret lookups by source: fresh, cached, stale or error.");
        _awsCalls = Meter.CreateCounter<long>("surgicase.secrets.aws_calls", "{call}", "Secrets Manager calls by outcome.");
        _joinedFetches = Meter.CreateCounter<long>(
            "surgicase.secrets.joined_fetches", "{lookup}", "Lookups that waited on a Secrets Manager fetch already in flight instead of starting one.");
    }

    public Meter Meter { get; }

    public void Lookup(string source) => _lookups.Add(1, new KeyValuePair<string, object?>("source", source));

    public void AwsCall(string outcome) => _awsCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void JoinedFetch() => _joinedFetches.Add(1);
}
