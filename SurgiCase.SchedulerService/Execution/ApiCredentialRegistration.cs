using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

internal static class ApiCredentialRegistration
{
    /// <summary>
    /// <c>SurgiCaseApi:ApiKeySecretName</c> set (the default, <c>surgicase/api</c>): the key comes from the SecretsService,
    /// and <c>SecretsClient:ApiKey</c> is required at start-up. Set to empty: no key is sent. An explicit switch rather
    /// than "off when SecretsClient:ApiKey is missing", so a forgotten key stops start-up instead of silently sending none.
    /// </summary>
    public static void AddApiCredentials(this IHostApplicationBuilder builder)
    {
        var secretName = builder.Configuration[$"{SurgiCaseApiOptions.SectionName}:{nameof(SurgiCaseApiOptions.ApiKeySecretName)}"]
                         ?? new SurgiCaseApiOptions().ApiKeySecretName;
        if (string.IsNullOrWhiteSpace(secretName))
        {
            builder.Services.TryAddSingleton<IApiCredentialProvider, NoApiCredentialProvider>();
            return;
        }

        builder.Services.AddSecretsClient();
        builder.Services.TryAddSingleton<IApiCredentialProvider, SecretsApiCredentialProvider>();
    }
}
