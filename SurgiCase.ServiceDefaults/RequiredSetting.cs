namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A setting a service cannot run without outside Development. Any one of <see cref="Keys"/> satisfies it
/// (e.g. a PostgreSQL connection string or a data directory). Each service declares its list once, beside its
/// options, so the deployment's tests can check a task definition against the same list.
/// </summary>
public sealed record RequiredSetting(IReadOnlyList<string> Keys, string Reason)
{
    public RequiredSetting(string key, string reason)
        : this([key], reason)
    {
    }

    /// <summary>The keys as environment variables, the form ECS and the README use: <c>Aws__Region</c>.</summary>
    public IEnumerable<string> EnvironmentVariables => Keys.Select(k => k.Replace(":", "__", StringComparison.Ordinal));

    public string Describe() => string.Join(" or ", EnvironmentVariables) + " (" + Reason + ")";
}
