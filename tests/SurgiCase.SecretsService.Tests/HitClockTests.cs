using Microsoft.Extensions.Time.Testing;

namespace SurgiCase.SecretsService.Tests;

[Collection(MotoCollection.Name)]
public sealed class HitClockTests
{
    [Fact]
    public void A_test_clock_is_read_exactly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        using var clock = new HitClock(time);
        time.Advance(TimeSpan.FromMilliseconds(1234));

        Assert.Equal(time.GetUtcNow().UtcTicks, clock.UtcTicks);
    }

    [Fact]
    public void The_system_clock_is_followed_within_its_coarse_resolution()
    {
        using var clock = new HitClock(TimeProvider.System);

        for (var i = 0; i < 3; i++)
        {
            var before = DateTimeOffset.UtcNow.UtcTicks;
            var now = clock.UtcTicks;
            var after = DateTimeOffset.UtcNow.UtcTicks;
            Assert.InRange(now, before - (300 * TimeSpan.TicksPerMillisecond), after + (300 * TimeSpan.TicksPerMillisecond));
            clock.Exact();
        }
    }
}
