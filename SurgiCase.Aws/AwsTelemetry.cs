using System.Diagnostics;

namespace SurgiCase.Aws;

/// <summary>Names to register with OpenTelemetry (<c>AddSource(AwsTelemetry.ActivitySourceName)</c>).</summary>
public static class AwsTelemetry
{
    public const string ActivitySourceName = "SurgiCase.Aws";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>One client span per AWS call, named like <c>secretsmanager GetSecretValue</c>.</summary>
    internal static Activity? StartCall(string service, string operation)
    {
        var activity = Source.StartActivity($"{service} {operation}", ActivityKind.Client);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", operation);
        return activity;
    }
}
