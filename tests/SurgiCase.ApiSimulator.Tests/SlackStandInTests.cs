using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SurgiCase.ApiSimulator.Tests;

/// <summary>The Slack stand-in that receives the alerts' fallback channel locally.</summary>
public sealed class SlackStandInTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_posted_message_is_listed_with_its_text()
    {
        (await _client.DeleteAsync("/webhooks/slack")).EnsureSuccessStatusCode();

        using var response = await _client.PostAsJsonAsync("/webhooks/slack", new { text = "*🚨 CRITICAL* run 42" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        var messages = await _client.GetFromJsonAsync<JsonArray>("/webhooks/slack");
        var message = Assert.Single(messages!);
        Assert.Equal("*🚨 CRITICAL* run 42", message!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_and_not_kept()
    {
        (await _client.DeleteAsync("/webhooks/slack")).EnsureSuccessStatusCode();

        using var response = await _client.PostAsync("/webhooks/slack", new StringContent("not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await _client.GetFromJsonAsync<JsonArray>("/webhooks/slack"))!);
    }
}
