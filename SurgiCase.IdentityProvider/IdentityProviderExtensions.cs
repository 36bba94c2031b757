using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using SurgiCase.IdentityProvider.Endpoints;

namespace SurgiCase.IdentityProvider;

/// <summary>
/// A real OpenID provider (OpenIddict) for local runs: authorization code with PKCE, a login form, the seeded people of
/// <see cref="IdentityProviderOptions"/>, signing and encryption keys made at start and never kept. Development only.
/// </summary>
public static class IdentityProviderExtensions
{
    public const string CookieScheme = "LocalIdentityProvider";

    /// <summary>The provider's services; throws outside Development.</summary>
    public static WebApplicationBuilder AddIdentityProvider(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"SurgiCase.IdentityProvider runs in Development only (this is {builder.Environment.EnvironmentName}): it is the local stand-in for a real identity provider; connect the operations page to yours with Operations:Oidc:Authority.");
        }

        var services = builder.Services;
        services.AddOptions<IdentityProviderOptions>().BindConfiguration(IdentityProviderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // OpenIddict's tables in a SQLite file of this run, deleted at stop: nothing outlives the process.
        var database = Path.Combine(Path.GetTempPath(), $"surgicase-idp-{Guid.NewGuid():N}.db");
        services.AddDbContext<IdentityProviderDbContext>(options =>
        {
            options.UseSqlite(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
            options.UseOpenIddict();
        });
        services.AddHostedService(sp => new ClientSeeder(sp, database));

        services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "surgicase-idp";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = LoginEndpoints.Path;
            options.ExpireTimeSpan = TimeSpan.FromHours(1);
        });
        services.AddAuthorization();
        services.AddAntiforgery(options => options.Cookie.Name = "surgicase-idp-af");

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityProviderDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(AuthorizationEndpoints.Authorize)
                    .SetTokenEndpointUris(AuthorizationEndpoints.Token)
                    .SetEndSessionEndpointUris(AuthorizationEndpoints.EndSession);
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(OpenIddictConstants.Scopes.Profile, OpenIddictConstants.Scopes.Email, OpenIddictConstants.Scopes.Roles);
                // Made at start, held in memory only: a token of one run is worthless to the next.
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Plain http on localhost, as every other local resource of the AppHost.
                    .DisableTransportSecurityRequirement();
            });
        return builder;
    }

    /// <summary>Its middleware and endpoints: login form, authorize, token, end-session.</summary>
    public static WebApplication UseIdentityProvider(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        LoginEndpoints.Map(app);
        AuthorizationEndpoints.Map(app);
        return app;
    }

    /// <summary>Creates the tables and registers the operations page's client; deletes the database at stop.</summary>
    private sealed class ClientSeeder(IServiceProvider services, string database) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var settings = scope.ServiceProvider.GetRequiredService<IOptions<IdentityProviderOptions>>().Value;
            await scope.ServiceProvider.GetRequiredService<IdentityProviderDbContext>().Database.EnsureCreatedAsync(cancellationToken);
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var client = new OpenIddictApplicationDescriptor
            {
                ClientId = settings.ClientId,
                ClientSecret = settings.ClientSecret,
                ClientType = OpenIddictConstants.ClientTypes.Confidential,
                ConsentType = OpenIddictConstants.ConsentTypes.Implicit,
                DisplayName = "SurgiCase operations page",
                RedirectUris = { settings.RedirectUri! },
                Permissions =
                {
                    OpenIddictConstants.Permissions.Endpoints.Authorization,
                    OpenIddictConstants.Permissions.Endpoints.Token,
                    OpenIddictConstants.Permissions.Endpoints.EndSession,
                    OpenIddictConstants.Permissions.GrantTypes.AuthorizationCode,
                    OpenIddictConstants.Permissions.ResponseTypes.Code,
                    OpenIddictConstants.Permissions.Scopes.Profile,
                    OpenIddictConstants.Permissions.Scopes.Email,
                    OpenIddictConstants.Permissions.Scopes.Roles,
                },
                Requirements = { OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange },
            };
            if (settings.PostLogoutRedirectUri is { } afterSignOut)
            {
                client.PostLogoutRedirectUris.Add(afterSignOut);
            }

            await applications.CreateAsync(client, cancellationToken);
            IdentityProviderLog.Seeded(scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientSeeder).FullName!),
                settings.ClientId, settings.RedirectUri!, settings.People.Count(p => p.Value.Password.Length > 0));
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            File.Delete(database);
            return Task.CompletedTask;
        }
    }
}
