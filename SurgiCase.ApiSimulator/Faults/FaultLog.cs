namespace SurgiCase.ApiSimulator.Faults;

internal static partial class FaultLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Applying simulated fault {Mode} to {Path}")]
    public static partial void ApplyingFault(ILogger logger, string mode, PathString path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The client of {Path} disconnected; the simulated work goes on (continueAfterDisconnect)")]
    public static partial void ClientGoneWorkContinues(ILogger logger, PathString path);
}
