using System.Globalization;
using System.Text.RegularExpressions;

namespace SurgiCase.Images.Tests;

/// <summary>What the CDK stack and the README rely on: repository tags, user, port, labels and size.</summary>
[Collection(ImageCollection.Name)]
public sealed partial class ImageMetadataTests(ImageStack stack)
{
    public static TheoryData<string> Services => new(ImageSet.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void Image_runs_as_app_on_port_8080_in_production(string service)
    {
        var config = stack.Images[service].Config;

        Assert.Equal("1654", config.User);
        Assert.Contains("8080/tcp", config.ExposedPorts);
        Assert.Equal("8080", config.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("Production", config.Environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("/app/", config.WorkingDir);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Image_is_tagged_with_version_and_revision_and_latest(string service)
    {
        var image = stack.Images[service];

        Assert.Contains("latest", image.Tags);
        var versioned = Assert.Single(image.Tags, t => t != "latest");
        var match = VersionTag().Match(versioned);
        Assert.True(match.Success, $"tag '{versioned}' is not <version>-<short git revision>");
        var labels = image.Config.Labels;
        Assert.Equal(match.Groups["version"].Value, labels["org.opencontainers.image.version"]);
        if (match.Groups["revision"].Value != "local")
        {
            Assert.StartsWith(match.Groups["revision"].Value, labels["org.opencontainers.image.revision"], StringComparison.Ordinal);
        }

        Assert.True(DateTimeOffset.TryParse(labels["org.opencontainers.image.created"], CultureInfo.InvariantCulture, out _));
        Assert.Equal("/alive", labels["com.surgicase.health.liveness"]);
        Assert.Equal("/health", labels["com.surgicase.health.readiness"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Image_user_exists_in_the_image_with_uid_1654(string service)
    {
        var rootfs = await stack.Images.RootfsAsync(service);

        var passwd = await File.ReadAllLinesAsync(Path.Combine(rootfs, "etc/passwd"));
        Assert.Contains(passwd, line => line.StartsWith("app:x:1654:1654:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Image_carries_the_rds_certificate_authorities_where_the_stack_points(string service)
    {
        // The AWS stack's connection strings say Root Certificate=/app/rds-ca-bundle.pem (SSL Mode=VerifyFull).
        var rootfs = await stack.Images.RootfsAsync(service);

        var carried = await File.ReadAllBytesAsync(Path.Combine(rootfs, "app", "rds-ca-bundle.pem"));

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ImageSet.RepositoryRoot, "deploy", "images", "rds-ca-bundle.pem")), carried);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Image_is_at_most_120_MB_compressed(string service)
    {
        Assert.InRange(stack.Images[service].CompressedBytes, 1, 120L * 1024 * 1024);
    }

    [GeneratedRegex(@"^(?<version>\d+\.\d+\.\d+)-(?<revision>[0-9a-f]{7}|local)$")]
    private static partial Regex VersionTag();
}
