using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.ApiSimulator.Faults;

namespace SurgiCase.ApiSimulator.Endpoints;

/// <summary>The switch tests and operators use to make the simulated API misbehave.</summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapFaultEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/faults");
        group.MapGet("/", Get);
        group.MapPost("/", SetAsync);
        group.MapDelete("/", Clear);
        return app;
    }

    private static Ok<FaultSettings> Get(FaultState state) => TypedResults.Ok(state.Current ?? new FaultSettings());

    // The body is read by hand, not bound: a bad field gets a 400 that names it, not the framework's generic one.
    private static async Task<Results<Ok<FaultSettings>, ValidationProblem>> SetAsync(HttpRequest request, FaultState state)
    {
        FaultSettings? settings;
        try
        {
            settings = await JsonSerializer.DeserializeAsync<FaultSettings>(request.Body, Json, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            // Name the field that could not be read (e.g. "$.status"), not the whole body.
            var field = string.IsNullOrEmpty(e.Path) ? "body" : e.Path.TrimStart('$', '.');
            return Invalid(field, $"The value of '{field}' is not valid JSON for this field.");
        }

        if (settings is null)
        {
            return Invalid("body", "Send a JSON object with at least a mode.");
        }

        var errors = FaultSettingsValidator.Validate(settings);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid fault settings");
        }

        state.Set(settings);
        return TypedResults.Ok(state.Current ?? new FaultSettings());
    }

    private static NoContent Clear(FaultState state)
    {
        state.Clear();
        return TypedResults.NoContent();
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid fault settings");
}
