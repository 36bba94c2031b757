using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The whole NotificationService in-process (HTTP API, consumer) on moto, with fixed callers' keys.</summary>
internal static class NotificationApp
{
    public const string OperatorKey = "operator-test-key-0123456789abcdef";
    public const string OperationsPageKey = "operations-page-test-key-0123456789abcdef";

    /// <summary>A service caller without rights on NotificationService's endpoints.</summary>
    public const string OtherCallerKey = "another-caller-key-0123456789abcdef";

    public static WebApplicationFactory<Program> Create(MotoServer moto, string dataDirectory, Action<IServiceCollection>? services = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Aws:ServiceUrl", moto.Url.ToString());
            web.UseSetting("Aws:Region", "us-east-1");
            web.UseSetting("Aws:AccessKeyId", "test");
            web.UseSetting("Aws:SecretAccessKey", "test");
            web.UseSetting("Authentication:ApiKeys:operator", OperatorKey);
            web.UseSetting("Authentication:ApiKeys:scheduler-service", OtherCallerKey);
            web.UseSetting("Authentication:ApiKeys:operations-page", OperationsPageKey);
            web.UseSetting("SecretsClient:ApiKey", "unused");
            web.UseSetting("Notifications:DataDirectory", dataDirectory);
            web.UseSetting("Messaging:WaitTimeSeconds", "1");
            web.ConfigureTestServices(s =>
            {
                s.Replace(ServiceDescriptor.Singleton<IRecipientSource>(new FakeRecipientSource()));
                services?.Invoke(s);
            });
        });
}
