using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The scheduler in-process against the real simulator, publishing into a <see cref="RecordingPublisher"/>, shared by a
/// class's tests (which run one after another). A derived fixture adds its probe jobs.
/// </summary>
public abstract class SimulatedApiFixture : IAsyncLifetime
{
    public SimulatorHost Simulator { get; } = new();

    public RecordingPublisher Publisher { get; } = new();

    public SchedulerApp App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The scheduler's log records, with their rendered messages.</summary>
    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public async Task InitializeAsync()
    {
        await Simulator.InitializeAsync();
        App = new SchedulerApp(Simulator.BaseAddress, Settings(), services => services.AddLogging(logging => logging.AddFakeLogging()), Publisher);
        Client = App.CreateOperatorClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    /// <summary>The scheduler's settings beyond <see cref="SchedulerApp"/>'s own: the fixture's jobs.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string?>> Settings();
}
