namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Where the delivery log lives: SQLite under <c>Notifications:DataDirectory</c> by default, PostgreSQL when
/// <c>ConnectionStrings:Notifications</c> is set (needed for more than one replica on separate machines).
/// </summary>
internal sealed class DeliveryLogOptions
{
    /// <summary>The name under <c>ConnectionStrings</c>, as Aspire's <c>WithReference</c> sets it for a database named "notifications".</summary>
    public const string ConnectionStringName = "Notifications";

    public string? PostgresConnectionString { get; set; }

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}

/// <summary>
/// Creates the delivery log's schema before the consumer starts (hosted services start in registration
/// order), so a wrong connection string stops start-up instead of failing the first alert.
/// </summary>
internal sealed class DeliveryLogInitializer(IDeliveryLog log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => log.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
