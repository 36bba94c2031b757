using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace SurgiCase.Operations.Tests;

/// <summary>Issue 18.6: addresses that carry keys or tokens are https outside Development; loopback http stays allowed.</summary>
public sealed class HttpsOutsideDevelopmentTests
{
    [Theory]
    [InlineData("Production", "http://api.surgicase.example/", false)]
    [InlineData("Staging", "http://10.0.3.7:8080/", false)]
    [InlineData("Production", "https://api.surgicase.example/", true)]
    [InlineData("Production", "http://127.0.0.1:5000/", true)]
    [InlineData("Production", "http://localhost:5100/", true)]
    [InlineData("Production", "http://[::1]:5100/", true)]
    [InlineData("Development", "http://api-simulator/", true)]
    public void Plain_http_off_the_host_is_refused_outside_development_naming_the_key(string environment, string address, bool allowed)
    {
        var validator = new HttpsOutsideDevelopment<Settings>(new Environment(environment), "SurgiCaseApi:BaseAddress", s => s.Address);

        var result = validator.Validate(null, new Settings(new Uri(address)));

        Assert.Equal(allowed, result.Succeeded);
        if (!allowed)
        {
            Assert.StartsWith("SurgiCaseApi:BaseAddress must be an https URL outside Development", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private sealed record Settings(Uri Address);

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
