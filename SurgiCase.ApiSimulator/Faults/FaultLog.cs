namespace SurgiCase.ApiSimulator.Faults;

internal static partial class FaultLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Applying simulated fault {Mode} to {Path}")]
    public static partial void ApplyingFault(ILogger logger, string mode, PathString path);
}
