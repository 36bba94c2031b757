namespace SurgiCase.AppHost.LocalAws;

/// <summary>The local AWS is moto_server, a Python program the developer installs once.</summary>
internal static class MotoInstallation
{
    public const string Command = "moto_server";

    public const string MissingMessage =
        "moto_server (the local AWS) is not installed or not on PATH. Install it with: pip install \"moto[server]\"";

    public static bool IsOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, Command)));
    }
}
