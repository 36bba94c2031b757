using Microsoft.EntityFrameworkCore;

namespace SurgiCase.IdentityProvider;

/// <summary>OpenIddict's tables (applications, authorizations, scopes, tokens) in an in-memory SQLite database: gone at stop.</summary>
internal sealed class IdentityProviderDbContext(DbContextOptions<IdentityProviderDbContext> options) : DbContext(options);
