using System.Text.Json;
using SurgiCase.ApiSimulator.Reports;

namespace SurgiCase.ApiSimulator.Faults;

/// <summary>The switch tests and operators use to make the simulated API misbehave.</summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void MapFaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/faults", (FaultState state) => Results.Ok(state.Current ?? new FaultSettings()));

        app.MapPost("/faults", async (HttpRequest request, FaultState state) =>
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
                return Results.ValidationProblem(
                    new Dictionary<string, string[]> { [field] = [$"The value of '{field}' is not valid JSON for this field."] },
                    title: "Invalid fault settings");
            }

            if (settings is null)
            {
                return Results.ValidationProblem(
                    new Dictionary<string, string[]> { ["body"] = ["Send a JSON object with at least a mode."] },
                    title: "Invalid fault settings");
            }

            var errors = FaultSettingsValidator.Validate(settings);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "Invalid fault settings");
            }

            state.Set(settings);
            return Results.Ok(state.Current ?? new FaultSettings());
        });

        app.MapDelete("/faults", (FaultState state) =>
        {
            state.Clear();
            return Results.NoContent();
        });

        app.MapGet("/requests", (RequestLog log) => Results.Ok(log.Snapshot()));
        app.MapDelete("/requests", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });
    }
}
