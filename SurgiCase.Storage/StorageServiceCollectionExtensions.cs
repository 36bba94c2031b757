using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the service's <see cref="SqlDatabase"/>: PostgreSQL when <c>ConnectionStrings:{connectionName}</c> is set,
    /// else the SQLite file <paramref name="sqliteFileName"/> in the folder <paramref name="dataDirectory"/> names (relative
    /// to the content root). Its tables are created at start-up, before the hosted services registered after this call start.
    /// </summary>
    public static IServiceCollection AddSqlDatabase(
        this IServiceCollection services, string connectionName, string sqliteFileName, Func<IServiceProvider, string> dataDirectory)
    {
        services.TryAddSingleton<SqlDatabase>(sp =>
        {
            var schemas = sp.GetServices<SqlSchema>();
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            return string.IsNullOrWhiteSpace(connectionString)
                ? new SqliteDatabase(SqliteFilePath(sp, dataDirectory(sp), sqliteFileName), schemas)
                : new PostgresDatabase(connectionString, schemas);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SchemaInitializer>());
        return services;
    }

    private static string SqliteFilePath(IServiceProvider services, string folder, string fileName)
    {
        // A bare container (a test driving a part of a service) has no host environment: the working folder stands in.
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return Path.Combine(Path.GetFullPath(folder, root), fileName);
    }

    /// <summary>Adds tables to the service's database (see <see cref="SqlSchema"/>). Repeat-safe per schema name.</summary>
    public static IServiceCollection AddSqlSchema(this IServiceCollection services, SqlSchema schema)
    {
        if (!services.Any(d => d.ServiceType == typeof(SqlSchema) && d.ImplementationInstance is SqlSchema s && s.Name == schema.Name))
        {
            services.AddSingleton(schema);
        }

        return services;
    }

    /// <summary>
    /// Adds a step to the service's one retention sweep (<see cref="RetentionSweep"/>, every <c>Retention:SweepInterval</c>).
    /// Repeat-safe per step type.
    /// </summary>
    public static IServiceCollection AddRetentionStep<TStep>(this IServiceCollection services)
        where TStep : class, IRetentionStep
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRetentionStep, TStep>());
        if (!services.Any(d => d.ServiceType == typeof(RetentionSweep)))
        {
            services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateOnStart();
            services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<RetentionSweep>();
            services.AddHostedService(sp => sp.GetRequiredService<RetentionSweep>());
        }

        return services;
    }

    private sealed class SchemaInitializer(SqlDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
