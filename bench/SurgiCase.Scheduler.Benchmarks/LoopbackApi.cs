using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>A Kestrel endpoint on loopback that answers every report call 200 at once, so only our side is timed.</summary>
internal sealed class LoopbackApi : IAsyncDisposable
{
    public const string Body = """{"succeeded":1,"failed":0}""";
    private readonly WebApplication _app;

    private LoopbackApi(WebApplication app, Uri baseAddress) => (_app, BaseAddress) = (app, baseAddress);

    public Uri BaseAddress { get; }

    public static async Task<LoopbackApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapMethods("/{**path}", ["GET", "POST"], () => Results.Text(Body, "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackApi(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
