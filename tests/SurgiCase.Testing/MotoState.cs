using System.Text.Json.Nodes;

namespace SurgiCase.Testing;

/// <summary>Reads moto's backend state (<c>GET /moto-api/data.json</c>) of any moto, ours or the AppHost's.</summary>
public static class MotoState
{
    public static async Task<IReadOnlyList<SentEmail>> GetSentEmailsAsync(HttpClient http, Uri motoUrl)
    {
        var json = await http.GetStringAsync(new Uri(motoUrl, "/moto-api/data.json"));
        var messages = JsonNode.Parse(json)?["ses"]?["Message"]?.AsArray();
        if (messages is null)
        {
            return [];
        }

        var list = new List<SentEmail>();
        foreach (var message in messages.OfType<JsonNode>())
        {
            var to = message["destinations"]?["ToAddresses"]?.AsArray()
                .Select(a => a!.GetValue<string>()).ToList() ?? [];
            list.Add(new SentEmail(
                message["source"]?.GetValue<string>() ?? "",
                to,
                message["subject"]?.GetValue<string>() ?? "",
                message["body"]?.GetValue<string>() ?? "",
                message.ToJsonString()));
        }

        return list;
    }
}

/// <summary>One email as moto recorded it; <see cref="Body"/> is the HTML part.</summary>
public sealed record SentEmail(string Source, IReadOnlyList<string> To, string Subject, string Body, string RawJson);
