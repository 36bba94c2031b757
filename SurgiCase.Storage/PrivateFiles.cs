namespace SurgiCase.Storage;

/// <summary>Files and folders only this service's user may read: secrets and keys at rest (0600 files, 0700 folders).</summary>
public static class PrivateFiles
{
    /// <summary>The folder, created 0700 when it does not exist yet (an existing one, e.g. a mounted volume, is left as it is).</summary>
    public static DirectoryInfo Directory(string path) =>
        OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(path)
            : System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>A new file created 0600; fails if it exists, so the mode is always this one.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
