namespace SurgiCase.SchedulerService.Tests.Sessions;

internal static class SetCookies
{
    /// <summary>The <c>name=value</c> pair of the one cookie <paramref name="name"/> the response sets, to send back by hand.</summary>
    public static string Get(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];
}
