using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SecretsService.StaleAlerts;

/// <summary>
/// The seed's "stale cache warnings persisting for more than 1 hour", as an alert instead of a log line to notice: once
/// this instance has served a secret stale for longer than <c>Secrets:StaleAlertAfter</c>, one warning (a
/// <see cref="JobFailed"/> of severity warning) goes out through the outbox, and a <see cref="JobRecovered"/> notice
/// follows when the secrets are fresh again. The episode is stored (<see cref="StaleEpisodeStore"/>), so a restart or
/// a second replica on the same database neither repeats the warning nor forgets to send the notice.
/// </summary>
internal sealed partial class StaleSecretsAlerter(
    SecretCache cache,
    StaleEpisodeStore episodes,
    OutboxDispatcher outbox,
    IOptions<SecretsOptions> options,
    TimeProvider time,
    ILogger<StaleSecretsAlerter> logger)
{
    public const string JobId = "secrets-stale";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = cache.Slots
            .Select(s => (Slot: s, Since: s.StaleSince))
            .Where(s => s.Since is not null)
            .Select(s => new StaleSecret(s.Slot.Name, s.Since!.Value, s.Slot.Current?.FetchedAt, s.Slot.LastErrorCode))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var episode = await episodes.GetAsync(cancellationToken);

        if (stale.Count == 0)
        {
            if (episode is { EndedAt: null } open && IsFreshAgainHere(open))
            {
                await EndAsync(open, now, cancellationToken);
            }

            return;
        }

        if (episode is not { EndedAt: null })
        {
            // A stale spell that began before the last episode ended belongs to it: another replica saw the secrets
            // fresh first, and this one will too. Only a spell that began after it opens a new episode.
            var ended = episode?.EndedAt;
            var newer = stale.Where(s => ended is null || s.Since > ended).ToList();
            if (newer.Count == 0)
            {
                return;
            }

            if (await episodes.TryOpenAsync(episode?.EpisodeId, Guid.NewGuid().ToString("N"), newer.Min(s => s.Since), Names(newer), cancellationToken))
            {
                LogOpened(logger, Names(newer));
            }

            episode = await episodes.GetAsync(cancellationToken);
            if (episode is not { EndedAt: null })
            {
                return;
            }
        }

        if (episode.AlertedAt is null && now - episode.StaleSince >= options.Value.StaleAlertAfter)
        {
            var names = episode.SecretNames.Split(',', StringSplitOptions.RemoveEmptyEntries).Union(stale.Select(s => s.Name), StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToList();
            var warning = StaleSecretsEvents.Warning(episode, names, stale, now);
            if (await episodes.TryAlertAsync(episode.EpisodeId, now, string.Join(',', names), outbox.ToMessage(warning), cancellationToken))
            {
                outbox.Signal();
                LogAlerted(logger, (long)(now - episode.StaleSince).TotalMinutes, string.Join(", ", names));
            }
        }
    }

    /// <summary>
    /// Proof that AWS answered this instance after the episode began: every secret of the episode that it holds was
    /// fetched since. An instance that merely was not asked (its copies older than the episode) ends nothing.
    /// </summary>
    private bool IsFreshAgainHere(StaleEpisode episode)
    {
        var names = episode.SecretNames.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var held = cache.Slots.Where(s => names.Contains(s.Name) && s.Current is not null).Select(s => s.Current!.FetchedAt).ToList();
        return held.Count > 0 && held.TrueForAll(fetchedAt => fetchedAt > episode.StaleSince);
    }

    private async Task EndAsync(StaleEpisode episode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only an episode that was alerted gets a notice: a short spell nobody was told about needs no all-clear.
        var notice = episode.AlertedAt is null ? null : StaleSecretsEvents.Fresh(episode, now);
        if (await episodes.TryEndAsync(episode.EpisodeId, now, notice is null ? null : outbox.ToMessage(notice), cancellationToken))
        {
            if (notice is not null)
            {
                outbox.Signal();
            }

            LogEnded(logger, episode.SecretNames, notice is not null);
        }
    }

    private static string Names(IEnumerable<StaleSecret> stale) => string.Join(',', stale.Select(s => s.Name));

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Secrets served stale ({SecretNames}): stale episode opened; a warning follows if it lasts longer than Secrets:StaleAlertAfter")]
    private static partial void LogOpened(ILogger logger, string secretNames);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "⚠️ Secrets served stale for {Minutes} min ({SecretNames}): stale-secrets warning sent")]
    private static partial void LogAlerted(ILogger logger, long minutes, string secretNames);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "✅ Secrets fresh again ({SecretNames}): stale episode ended (notice sent: {NoticeSent})")]
    private static partial void LogEnded(ILogger logger, string secretNames, bool noticeSent);
}

/// <summary>A secret this instance serves stale: since when, the age of its value, and AWS's last answer.</summary>
internal sealed record StaleSecret(string Name, DateTimeOffset Since, DateTimeOffset? FetchedAt, string? LastErrorCode);
