using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SurgiCase.Testing.Containers;

/// <summary>Polls a service's GET /health until it answers 200 with status Healthy, or its process exits.</summary>
public static class HealthPoller
{
    public static async Task WaitHealthyAsync(HttpClient http, Uri baseAddress, Func<bool> hasExited, TimeSpan timeout, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (hasExited())
            {
                throw new InvalidOperationException($"{baseAddress} exited before it was healthy.\n{describe?.Invoke()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(baseAddress, "health"));
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == HttpStatusCode.OK && Status(body) == "Healthy")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        throw new TimeoutException($"{baseAddress} was not healthy within {timeout}; last /health: {last}\n{describe?.Invoke()}");
    }

    private static string? Status(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
