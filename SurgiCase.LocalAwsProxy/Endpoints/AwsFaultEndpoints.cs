using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.LocalAwsProxy.Faults;

namespace SurgiCase.LocalAwsProxy.Endpoints;

/// <summary>The switch that makes the proxy answer AWS errors instead of forwarding (README: "Replay the seed's scenarios").</summary>
internal static class AwsFaultEndpoints
{
    public const string Path = "/proxy/faults";

    public static IEndpointRouteBuilder MapAwsFaultEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path);
        group.MapGet("/", Get);
        group.MapPost("/", Set);
        group.MapDelete("/", Clear);
        return app;
    }

    private static Ok<object> Get(AwsFaultSwitch faults) => TypedResults.Ok(faults.Snapshot());

    private static Results<Ok<object>, ValidationProblem> Set(AwsFault fault, AwsFaultSwitch faults)
    {
        var errors = fault.Validate().ToArray();
        if (errors.Length > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fault"] = errors });
        }

        faults.Set(fault);
        return TypedResults.Ok(faults.Snapshot());
    }

    private static Ok<object> Clear(string? service, AwsFaultSwitch faults)
    {
        faults.Clear(service);
        return TypedResults.Ok(faults.Snapshot());
    }
}
