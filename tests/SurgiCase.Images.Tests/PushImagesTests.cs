using System.Diagnostics;
using System.Text.RegularExpressions;
using SurgiCase.Testing;
using Xunit.Abstractions;

namespace SurgiCase.Images.Tests;

/// <summary>
/// Step 1 of docs/deploy.md, its bash block read from the page and run as written, against a local registry
/// standing in for the account's ECR: the aws CLI answered by Stubs/aws, our offline Debian base standing in
/// for Microsoft's (through SURGICASE_PUBLISH_OPTIONS), and a small image in the same registry standing in for
/// ECR Public's collector. Then every repository the stack pulls from must hold the tag `-c imageTag` deploys.
/// Alone, after the other collections: its four publishes must not run beside the containers' timed start-ups.
/// </summary>
[Collection(PushImagesCollection.Name)]
public sealed partial class PushImagesTests(ITestOutputHelper output)
{
    private const string Step = "1. Push the images";
    private const string CollectorRepository = "surgicase/aws-otel-collector";
    /// <summary>Already there before the run: the step must reuse it, not fail creating it again.</summary>
    private const string ExistingRepository = "surgicase/secrets-service";

    private static readonly string[] ServiceRepositories = ImageSet.Services.Select(s => "surgicase/" + s).ToArray();

    [Fact]
    public async Task Step_1_as_written_pushes_every_image_the_stack_runs_under_the_deployed_tag()
    {
        var missing = ShellCommand.Missing("skopeo", "docker-registry", "git", "dotnet");
        Assert.True(missing.Count == 0, $"The push test needs {string.Join(", ", missing)} (apt-get install -y skopeo docker-registry git).");
        var block = DeployGuide.BashBlock(Step);
        var tag = DeployGuide.Variable(block, "TAG");
        await using var registry = await LocalRegistry.StartAsync();
        using var work = new TempDirectory();

        var upstreamDigest = await SeedRegistryAsync(registry);
        var stubState = Path.Combine(work.Path, "aws");
        var stubBin = InstallAwsStub(stubState);
        var clone = Path.Combine(work.Path, "clone");
        var revision = await CloneAsync(clone);

        var clock = Stopwatch.StartNew();
        var run = await ShellCommand.RunAsync("bash", ["-euo", "pipefail", "-c", block], clone, new Dictionary<string, string>
        {
            ["PATH"] = stubBin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["AWS_STUB_REGISTRY"] = registry.Host,
            ["AWS_STUB_STATE"] = stubState,
            // The offline Debian base instead of mcr.microsoft.com's; ReadyToRun off, as it changes no tag and costs minutes.
            ["SURGICASE_PUBLISH_OPTIONS"] = $"-r linux-x64 --self-contained -p:SurgiCaseContainerBase=debian "
                + $"-p:SurgiCaseBaseRegistry={registry.Host} -p:PublishReadyToRun=false",
            ["SURGICASE_COLLECTOR_SOURCE"] = $"{registry.Host}/upstream/aws-otel-collector@{upstreamDigest}",
        }, TimeSpan.FromMinutes(30));
        output.WriteLine($"step 1 ({Step}) ran in {clock.Elapsed.TotalSeconds:F0} s:\n{run.Output}\n{run.Error}");
        Assert.True(run.ExitCode == 0, run.Describe("docs/deploy.md step 1"));

        var traceability = new Regex($"^[0-9]+\\.[0-9]+\\.[0-9]+-{revision[..7]}$");
        foreach (var repository in ServiceRepositories)
        {
            var tags = await registry.TagsAsync(repository);
            Assert.True(tags.Contains(tag), $"{repository} holds [{string.Join(", ", tags)}], not the deployed tag {tag}");
            Assert.True(tags.Count == 2 && tags.Any(traceability.IsMatch),
                $"{repository} holds [{string.Join(", ", tags)}]: expected exactly {tag} and <version>-{revision[..7]}");
        }

        Assert.Equal([tag], await registry.TagsAsync(CollectorRepository));
        Assert.Equal(upstreamDigest, await registry.DigestAsync(CollectorRepository, tag));

        var calls = await File.ReadAllLinesAsync(Path.Combine(stubState, "calls"));
        var created = calls.Where(c => c.StartsWith("ecr create-repository ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ServiceRepositories.Append(CollectorRepository).Where(r => r != ExistingRepository).Order(),
            created.Select(c => RepositoryName().Match(c).Groups["name"].Value).Order());
        Assert.All(created, c => Assert.Contains("scanOnPush=true", c, StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("ecr get-login-password", StringComparison.Ordinal));
    }

    /// <summary>The Debian base the offline publish builds on, and the stand-in upstream collector; its digest.</summary>
    private static async Task<string> SeedRegistryAsync(LocalRegistry registry)
    {
        var layout = (await ShellCommand.OutputOfAsync(Path.Combine(ImageSet.RepositoryRoot, "deploy/images/debian-base.sh")))
            .Split('\n')[^1];
        foreach (var target in new[] { "surgicase/debian-base:bookworm", "upstream/aws-otel-collector:v0.40.0" })
        {
            await ShellCommand.OutputOfAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                $"oci:{layout}:bookworm", $"docker://{registry.Host}/{target}");
        }

        return await registry.DigestAsync("upstream/aws-otel-collector", "v0.40.0");
    }

    /// <summary>The folder holding the aws stub (executable in git), for PATH; the repository it finds existing.</summary>
    private static string InstallAwsStub(string state)
    {
        var existing = Path.Combine(state, "repositories", ExistingRepository);
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "");
        return Path.Combine(ImageSet.RepositoryRoot, "tests/SurgiCase.Images.Tests/Stubs");
    }

    /// <summary>
    /// What a reader's clone holds, as a git repository of its own: the publish writes bin/ and obj/ into the
    /// projects, so it must not race the developer's build (as build.sh copies too); git gives the revision.
    /// </summary>
    private static async Task<string> CloneAsync(string clone)
    {
        Directory.CreateDirectory(clone);
        const string copy = """
            set -euo pipefail
            cd "$1"
            tar --exclude=bin --exclude=obj --exclude=.data --exclude=TestResults -cf - Directory.Build.props \
              Directory.Build.targets Directory.Packages.props global.json deploy/images deploy/push-images.sh \
              docs/deploy.md SurgiCase.*/ | tar -C "$2" -xf -
            cd "$2"
            git init -q
            git add -A
            git -c user.name=test -c user.email=test@localhost commit -qm "snapshot for the push test"
            git rev-parse HEAD
            """;
        var revision = await ShellCommand.OutputOfAsync("bash", "-c", copy, "copy", ImageSet.RepositoryRoot, clone);
        Assert.Matches("^[0-9a-f]{40}$", revision);
        return revision;
    }

    [GeneratedRegex("--repository-name (?<name>[^ ]+)")]
    private static partial Regex RepositoryName();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PushImagesCollection
{
    public const string Name = "push images";
}
