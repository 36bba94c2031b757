using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The acknowledge endpoints as the operations page calls them: the emailed link's token is checked here (tampered,
/// expired and reused tokens are refused with a clear answer), and only callers allowed to acknowledge may.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed partial class AcknowledgementApiTests(MotoServer moto) : IAsyncLifetime
{
    private const string OperatorKey = NotificationApp.OperatorKey;
    private const string OperationsPageKey = NotificationApp.OperationsPageKey;
    private const string OtherCallerKey = NotificationApp.OtherCallerKey;
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(TestEvents.At);
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        _factory = NotificationApp.Create(moto, _dir.Path, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient Client(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Sends a critical (test) alert and returns its id and the token of the link in its email.</summary>
    private async Task<(long Id, string Token)> SendAlertAsync()
    {
        using var sent = await Client(OperatorKey).PostAsync("/notifications/test", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var body = (await moto.GetSentEmailsAsync())[^1].Body;
        return (id, WebUtility.HtmlDecode(AckToken().Match(body).Groups[1].Value));
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task The_link_acknowledges_once_and_a_second_use_says_who_did_it_and_when()
    {
        var (id, token) = await SendAlertAsync();
        var page = Client(OperationsPageKey);

        var looked = await PostAsync(page, "/notifications/acknowledgements/lookup", new { token }, HttpStatusCode.OK);
        Assert.Equal((id, JsonValueKind.Null), (looked.GetProperty("id").GetInt64(), looked.GetProperty("acknowledgedAt").ValueKind));

        var acknowledged = await PostAsync(page, "/notifications/acknowledgements", new { token }, HttpStatusCode.OK);
        Assert.Equal("a recipient of the email (acknowledge link)", acknowledged.GetProperty("acknowledgedBy").GetString());

        _time.Advance(TimeSpan.FromMinutes(5));
        var again = await PostAsync(page, "/notifications/acknowledgements", new { token }, HttpStatusCode.Conflict);
        Assert.Equal("This alert was already acknowledged by a recipient of the email (acknowledge link) at 2025-10-20 09:00:05 UTC.",
            again.GetProperty("detail").GetString());
        var record = await Client(OperatorKey).GetFromJsonAsync<JsonElement>($"/notifications/{id}");
        Assert.Equal(TestEvents.At, record.GetProperty("acknowledgedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_changed_token_is_refused_and_acknowledges_nothing()
    {
        var (id, token) = await SendAlertAsync();
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        var page = Client(OperationsPageKey);

        var refused = await PostAsync(page, "/notifications/acknowledgements", new { token = tampered }, HttpStatusCode.BadRequest);
        await PostAsync(page, "/notifications/acknowledgements", new { token = "not-a-token" }, HttpStatusCode.BadRequest);
        await PostAsync(page, "/notifications/acknowledgements/lookup", new { token = tampered }, HttpStatusCode.BadRequest);

        Assert.Equal("Invalid link", refused.GetProperty("title").GetString());
        var record = await Client(OperatorKey).GetFromJsonAsync<JsonElement>($"/notifications/{id}");
        Assert.Equal(JsonValueKind.Null, record.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task An_expired_link_is_refused_with_410()
    {
        var (id, token) = await SendAlertAsync();
        _time.Advance(TimeSpan.FromDays(7));

        var expired = await PostAsync(Client(OperationsPageKey), "/notifications/acknowledgements", new { token }, HttpStatusCode.Gone);

        Assert.StartsWith("This acknowledge link expired at 2025-10-27 09:00:05 UTC.", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var record = await Client(OperatorKey).GetFromJsonAsync<JsonElement>($"/notifications/{id}");
        Assert.Equal(JsonValueKind.Null, record.GetProperty("acknowledgedAt").ValueKind);
    }

    [Fact]
    public async Task The_link_opened_by_a_person_signed_in_to_the_page_records_that_person()
    {
        var (_, token) = await SendAlertAsync();
        var (_, other) = await SendAlertAsync();

        var acknowledged = await PostAsync(Client(OperationsPageKey), "/notifications/acknowledgements", new { token, by = "Olivia Operator [olivia]" }, HttpStatusCode.OK);
        // Only the page may name a person: an operator's own key is recorded as the link's recipient.
        var byOperator = await PostAsync(Client(OperatorKey), "/notifications/acknowledgements", new { token = other, by = "Someone Else" }, HttpStatusCode.OK);

        Assert.Equal("Olivia Operator [olivia] (acknowledge link)", acknowledged.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("a recipient of the email (acknowledge link)", byOperator.GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task The_page_acknowledges_by_id_in_the_signed_in_persons_name()
    {
        var (id, _) = await SendAlertAsync();

        var acknowledged = await PostAsync(Client(OperationsPageKey), $"/notifications/{id}/acknowledge", new { by = "operator" }, HttpStatusCode.OK);
        await PostAsync(Client(OperationsPageKey), "/notifications/999/acknowledge", new { by = "operator" }, HttpStatusCode.NotFound);

        Assert.Equal("operator (operations page)", acknowledged.GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task Only_callers_allowed_to_acknowledge_may()
    {
        var (id, token) = await SendAlertAsync();

        using var anonymous = await _factory.CreateClient().PostAsJsonAsync("/notifications/acknowledgements", new { token });
        using var otherService = await Client(OtherCallerKey).PostAsJsonAsync($"/notifications/{id}/acknowledge", new { by = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherService.StatusCode);
        var record = await Client(OperatorKey).GetFromJsonAsync<JsonElement>($"/notifications/{id}");
        Assert.Equal(JsonValueKind.Null, record.GetProperty("acknowledgedAt").ValueKind);
    }

    [GeneratedRegex("data-role=\"acknowledge\" href=\"[^\"]*/ack/([^\"]+)\"")]
    private static partial Regex AckToken();
}
