using System.Net;
using SurgiCase.Testing;
using Xunit.Abstractions;
using static SurgiCase.SchedulerService.Tests.OperationsPageClient;

namespace SurgiCase.SchedulerService.Tests.Sessions;

/// <summary>
/// Two scheduler processes as two machines (each its own home folder, where Data Protection would keep a private key
/// ring) on one PostgreSQL: a person signed in on one is signed in on the other, and a form of one posts to the other.
/// Behind the load balancer, as deployed: TLS ends there, so requests carry <c>X-Forwarded-Proto: https</c>.
/// </summary>
public sealed class ReplicaSessionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly TempDirectory _root = new();
    private readonly string _operatorKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _keyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly List<SchedulerProcess> _replicas = [];

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _database.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Replicas_accept_each_others_session_cookies_and_antiforgery_tokens_and_a_sign_out_on_one_ends_it_on_all()
    {
        var a = StartReplica("a");
        var b = StartReplica("b");
        try
        {
            await Task.WhenAll(a.WaitHealthyAsync(TimeSpan.FromSeconds(90)), b.WaitHealthyAsync(TimeSpan.FromSeconds(90)));
            using var onA = Client(a);
            using var onB = Client(b);

            // Sign in on a.
            using var signInPage = await onA.GetAsync("/signin");
            var antiforgeryCookie = SetCookies.Get(signInPage, "__Host-surgicase-operations-af");
            using var signIn = new HttpRequestMessage(HttpMethod.Post, "/signin")
            {
                Headers = { { "Cookie", antiforgeryCookie } },
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__af"] = AntiforgeryToken(await signInPage.Content.ReadAsStringAsync()),
                    ["key"] = _operatorKey,
                    ["returnUrl"] = "/",
                }),
            };
            using var signedIn = await onA.SendAsync(signIn);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var cookies = SetCookies.Get(signedIn, "__Host-surgicase-operations") + "; " + antiforgeryCookie;

            // The session cookie a issued opens the page on b.
            using var overviewOnB = await onB.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", cookies } } });
            Assert.Equal(HttpStatusCode.OK, overviewOnB.StatusCode);

            // A form rendered by a (its antiforgery token) is accepted by b: signing out there works.
            using var overviewOnA = await onA.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", cookies } } });
            Assert.Equal(HttpStatusCode.OK, overviewOnA.StatusCode);
            using var signOut = new HttpRequestMessage(HttpMethod.Post, "/signout")
            {
                Headers = { { "Cookie", cookies } },
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = AntiforgeryToken(await overviewOnA.Content.ReadAsStringAsync()) }),
            };
            using var signedOut = await onB.SendAsync(signOut);
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.Equal("/signin", signedOut.Headers.Location?.OriginalString);

            // Signed out on b, the session is revoked in the shared database: the same cookie no longer opens a either.
            using var afterOnA = await onA.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", cookies } } });
            Assert.Equal(HttpStatusCode.Redirect, afterOnA.StatusCode);
            Assert.Contains("/signin", afterOnA.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        catch
        {
            output.WriteLine(a.Log());
            output.WriteLine(b.Log());
            throw;
        }
    }

    private SchedulerProcess StartReplica(string name)
    {
        var home = Path.Combine(_root.Path, name, "home");
        Directory.CreateDirectory(home);
        var folder = SchedulerProcess.OutputDirectory();
        var settings = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["ConnectionStrings__Scheduler"] = _database.Scheduler,
            ["Scheduler__InstanceId"] = "replica-" + name,
            ["Scheduler__DataDirectory"] = Path.Combine(_root.Path, name, "data"),
            ["Operations__BreakGlassKeySignIn"] = "true",
            ["Authentication__ApiKeys__operator"] = _operatorKey,
            ["DataProtection__KeyEncryptionKey"] = _keyEncryptionKey,
            ["SurgiCaseApi__ApiKeySecretName"] = "",
            // Nothing runs (every job is off) and nothing is published, so neither address is ever called.
            ["SurgiCaseApi__BaseAddress"] = "http://127.0.0.1:9/",
            ["Aws__ServiceUrl"] = "http://127.0.0.1:9",
            ["Aws__Region"] = "us-east-1",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        for (var i = 0; i < SchedulerProcess.ShippedJobCount(folder); i++)
        {
            settings[$"Scheduler__Jobs__{i}__enabled"] = "false";
        }

        var replica = SchedulerProcess.Start(name, settings);
        _replicas.Add(replica);
        return replica;
    }

    private static HttpClient Client(SchedulerProcess replica)
    {
        // Cookies by hand: they are Secure, and this hop is plain http behind the (pretended) load balancer.
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = replica.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }
}
