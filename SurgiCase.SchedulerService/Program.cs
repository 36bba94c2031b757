// The deployment's one-shot database setup task runs this image with --provision-database (docs/security.md).
if (await SurgiCase.Storage.Provisioning.ProvisioningCommand.TryRunAsync(args, Console.Out) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulerService();

var app = builder.Build();
app.UseApiDefaults();
app.MapDefaultEndpoints();
app.MapSchedulerEndpoints();
app.Run();
return 0;
