using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;
using SurgiCase.Storage.KeyRing;

namespace Microsoft.Extensions.DependencyInjection;

public static class KeyRingServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Data Protection with one key ring for every replica of the service: in the service's
    /// <see cref="SqlDatabase"/> (a table beside its other tables), or in <c>DataProtection:KeysDirectory</c> when set;
    /// each key encrypted at rest with <c>DataProtection:KeyEncryptionKey</c> (AES-256-GCM) when set.
    /// </summary>
    /// <param name="applicationName">The same on every replica: it isolates this service's ring from another's.</param>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services, string applicationName)
    {
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        services.AddSqlSchema(SqlXmlRepository.Table);
        services.AddDataProtection().SetApplicationName(applicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((management, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<KeyRingOptions>>().Value;
            management.XmlRepository = string.IsNullOrWhiteSpace(options.KeysDirectory)
                ? new SqlXmlRepository(sp.GetRequiredService<SqlDatabase>())
                : new FileSystemXmlRepository(PrivateDirectory(sp, options.KeysDirectory), sp.GetRequiredService<ILoggerFactory>());
            if (options.KeyEncryptionKeyBytes() is { } keyEncryptionKey)
            {
                management.XmlEncryptor = new AesGcmXmlEncryptor(keyEncryptionKey);
            }
        });
        return services;
    }

    private static DirectoryInfo PrivateDirectory(IServiceProvider services, string folder)
    {
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return PrivateFiles.Directory(Path.GetFullPath(folder, root));
    }
}
