namespace SurgiCase.Testing;

/// <summary>A fresh folder for one test's files (a service's SQLite database), removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("surgicase-test-").FullName;

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
