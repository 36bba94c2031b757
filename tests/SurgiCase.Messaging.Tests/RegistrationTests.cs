using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

public sealed class RegistrationTests
{
    private sealed class NoOpHandler : IJobEventHandler
    {
        public Task HandleAsync(SurgiCase.Messaging.Contracts.IJobEvent jobEvent, DeliveryContext context, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }

    [Fact]
    public void Publisher_consumer_and_DLQ_check_together_bind_and_validate_AwsOptions_once()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSqsJobEventPublisher();
        services.AddSqsJobEventConsumer<NoOpHandler>();
        services.AddHealthChecks().AddSqsDeadLetterQueueCheck();
        services.AddSqsClient();

        // Each extra binding ran the same configuration and validation again on every options read.
        Assert.Single(services, d => d.ServiceType == typeof(IConfigureOptions<AwsOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<AwsOptions>));
    }
}
