using System.Globalization;
using System.Text;

namespace SurgiCase.ApiSimulator.Faults;

/// <summary>
/// The body of a partial failure: 40 items succeeded and some failed. By default the three failures a real payment run
/// reports; with <c>failedItems</c>/<c>itemLength</c> as many and as long as asked, to replay an oversized answer.
/// </summary>
internal static class PartialAnswer
{
    public const int Succeeded = 40;
    public const int MaxFailedItems = 100_000;
    public const int MaxItemLength = 10_000;

    private static readonly string[] DefaultItems = ["provider-1007: missing NPI", "provider-1022: no bank details", "provider-1045: PDF rendering failed"];

    public static ReportResult Create(FaultSettings fault, string report, DateTimeOffset now)
    {
        var items = fault.FailedItems is null && fault.ItemLength is null
            ? DefaultItems
            : Enumerable.Range(0, fault.FailedItems ?? DefaultItems.Length).Select(i => Item(i, fault.ItemLength)).ToArray();
        return new ReportResult(Succeeded, items.Length, Succeeded + items.Length, items, report, now);
    }

    private static string Item(int index, int? length)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"provider-{1000 + index}: missing NPI");
        if (length is not { } wanted)
        {
            return text;
        }

        return text.Length >= wanted ? text[..wanted] : new StringBuilder(text, wanted).Append('.', wanted - text.Length).ToString();
    }
}
