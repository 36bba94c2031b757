namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The authorization policies every SurgiCase API uses (added by <c>AddApiDefaults</c>). Callers are the names under
/// <c>Authentication:ApiKeys</c>: <see cref="ApiCallers.Operator"/> may do everything; <see cref="ApiCallers.OperationsPage"/>,
/// the operations page's service-to-service caller, may read, acknowledge, send the test alert and replay dead letters on a signed-in person's behalf but change nothing else; a service caller
/// (e.g. <c>scheduler-service</c> on SecretsService) gets only what its endpoints grant it by name.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Changes something or reads a secret value: the operator only (warm the cache, read a secret).</summary>
    public const string Operator = "operator";

    /// <summary>Reads state without values: alerts, the delivery log, the secrets cache's status.</summary>
    public const string ReadOnly = "read-only";

    /// <summary>Acknowledges an alert: the operator, or the operations page on a person's behalf.</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>Sends a test alert through the whole pipeline: the operator, or the operations page on a person's behalf.</summary>
    public const string SendTestAlert = "send-test-alert";

    /// <summary>Replays dead-lettered job events to their queue: the operator, or the operations page on a person's behalf.</summary>
    public const string ReplayDeadLetters = "replay-dead-letters";
}

/// <summary>The caller names the policies of <see cref="ApiPolicies"/> know.</summary>
public static class ApiCallers
{
    /// <summary>People and their scripts (<c>Authentication:ApiKeys:operator</c>).</summary>
    public const string Operator = "operator";

    /// <summary>The operations page calling NotificationService and SecretsService (<c>Authentication:ApiKeys:operations-page</c>).</summary>
    public const string OperationsPage = "operations-page";
}
