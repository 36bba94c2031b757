namespace SurgiCase.NotificationService.Tests;

/// <summary>A fresh folder for one test's SQLite file, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("surgicase-notify-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle on another thread; the OS temp cleaner gets it.
        }
    }
}
