using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SurgiCase.Aws.Tests;

public sealed class AwsRegistrationTests
{
    [Fact]
    public void Half_a_key_pair_fails_start_up_validation_naming_the_keys()
    {
        using var provider = Build(new() { ["Aws:AccessKeyId"] = "AKIA" });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(e.Failures);
        Assert.Contains("Aws:AccessKeyId", failure, StringComparison.Ordinal);
        Assert.Contains("Aws:SecretAccessKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_timeout_fails_start_up_validation()
    {
        using var provider = Build(new() { ["Aws:RequestTimeout"] = "00:30:00" });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("RequestTimeout", Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_configuration_binds_and_both_clients_resolve()
    {
        using var provider = Build(new()
        {
            ["Aws:ServiceUrl"] = "http://127.0.0.1:4566",
            ["Aws:Region"] = "eu-west-1",
            ["Aws:RequestTimeout"] = "00:00:05",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<AwsOptions>>().Value;

        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.SecretsManagerEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.SesEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.NotNull(provider.GetRequiredService<ISecretsManagerClient>());
        Assert.NotNull(provider.GetRequiredService<ISesEmailClient>());
    }

    [Fact]
    public void Endpoints_default_to_the_regional_AWS_endpoints()
    {
        var options = new AwsOptions { Region = "eu-west-1" };

        Assert.Equal(new Uri("https://secretsmanager.eu-west-1.amazonaws.com"), options.SecretsManagerEndpoint);
        Assert.Equal(new Uri("https://email.eu-west-1.amazonaws.com"), options.SesEndpoint);
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData("localhost:4566")] // parses as scheme "localhost": the usual slip
    [InlineData("aws/local")]
    public void Service_url_that_is_not_an_absolute_http_url_is_rejected(string url)
    {
        var options = new AwsOptions { ServiceUrl = new Uri(url, UriKind.RelativeOrAbsolute) };

        Assert.Contains(Validate(options), r => r.ErrorMessage!.Contains("Aws:ServiceUrl", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        // Both registrations call AddAwsOptions; a single validation failure proves it is idempotent.
        services.AddSecretsManagerClient();
        services.AddSesEmailClient();
        services.AddAwsOptions();
        return services.BuildServiceProvider();
    }

    private static List<ValidationResult> Validate(AwsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
