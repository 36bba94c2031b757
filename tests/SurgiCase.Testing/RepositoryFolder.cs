namespace SurgiCase.Testing;

/// <summary>The checkout a test was built from: the nearest folder above the test's output that holds SurgiCase.sln.</summary>
public static class RepositoryFolder
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "SurgiCase.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("SurgiCase.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository's root folder.</summary>
    public static string FullName => Root.Value;

    /// <summary>A path inside the repository, from its parts (<c>Path("docs", "screenshots")</c>).</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
