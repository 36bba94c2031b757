using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The OpenAPI document of a service's API, served in Development at <see cref="DocumentPath"/> and checked in under
/// docs/api/ (each service's tests fail when the checked-in copy drifts from the code).
/// </summary>
public static class ApiDocumentExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    private const string ApiKeyScheme = "ApiKey";

    public static TBuilder AddApiDocument<TBuilder>(this TBuilder builder, string title, string description) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options =>
        {
            // Health probes and the operations page are not the JSON API; the page's forms have their own routes.
            options.ShouldInclude = description => description.RelativePath is { } path
                && !path.StartsWith("health", StringComparison.Ordinal) && !path.StartsWith("alive", StringComparison.Ordinal);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = "v1", Description = description };
                // The servers are the address a request came in on: left out, so the document is the same on every host.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [ApiKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "X-Api-Key",
                        Description = "The caller's key (Authentication:ApiKeys:<caller>); see docs/api-keys.md.",
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Serves the document in Development only: elsewhere the API is described by the checked-in copy.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            // It holds no data, only the API's shape: readable without a key, and only in Development.
            app.MapOpenApi(DocumentPath).AllowAnonymous();
        }

        return app;
    }
}
