namespace SurgiCase.ApiSimulator.Faults;

/// <summary>Checks a fault request and names each offending field, for a 400 problem-details answer.</summary>
internal static class FaultSettingsValidator
{
    public static Dictionary<string, string[]> Validate(FaultSettings settings)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!FaultModes.All.Contains(settings.Mode, StringComparer.Ordinal))
        {
            errors["mode"] = [$"Unknown mode '{settings.Mode}'. Use one of: {string.Join(", ", FaultModes.All)}."];
        }

        if (settings.Status is { } status && (status < 400 || status > 599))
        {
            errors["status"] = ["Status must be an HTTP error status between 400 and 599."];
        }

        if (settings.DelaySeconds is { } delay && (delay < 0 || delay > 3600))
        {
            errors["delaySeconds"] = ["delaySeconds must be between 0 and 3600."];
        }

        if (settings.ContinueAfterDisconnect == true && settings.Mode != FaultModes.Slow)
        {
            errors["continueAfterDisconnect"] = [$"continueAfterDisconnect applies to mode '{FaultModes.Slow}' only."];
        }

        if (settings.Path is { Length: > 0 } path && !path.StartsWith('/'))
        {
            errors["path"] = ["path must be a route prefix starting with '/'."];
        }

        if (settings.FailedItems is { } failedItems && failedItems is < 1 or > PartialAnswer.MaxFailedItems)
        {
            errors["failedItems"] = [$"failedItems must be between 1 and {PartialAnswer.MaxFailedItems}."];
        }

        if (settings.ItemLength is { } itemLength && itemLength is < 1 or > PartialAnswer.MaxItemLength)
        {
            errors["itemLength"] = [$"itemLength must be between 1 and {PartialAnswer.MaxItemLength}."];
        }

        if (settings.Times is { } times && times < 1)
        {
            errors["times"] = ["times must be at least 1, or left out for a fault that stays until cleared."];
        }

        return errors;
    }
}
