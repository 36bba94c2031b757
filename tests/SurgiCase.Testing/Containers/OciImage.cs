using System.Diagnostics;
using System.Formats.Tar;
using System.Text.Json;

namespace SurgiCase.Testing.Containers;

/// <summary>
/// One image from an OCI-layout archive (what the SDK's ContainerArchiveOutputPath writes): its tags, its
/// configuration (entrypoint, environment, user, working directory, ports, labels) and its layers.
/// </summary>
public sealed class OciImage
{
    private readonly string _archive;

    private OciImage(string archive, IReadOnlyList<string> tags, ImageConfig config, IReadOnlyList<LayerBlob> layers)
    {
        _archive = archive;
        Tags = tags;
        Config = config;
        Layers = layers;
    }

    public string ArchivePath => _archive;

    public IReadOnlyList<string> Tags { get; }

    public ImageConfig Config { get; }

    public IReadOnlyList<LayerBlob> Layers { get; }

    /// <summary>What a registry stores and a platform pulls: the gzip'd layers.</summary>
    public long CompressedBytes => Layers.Sum(l => l.Size);

    public static OciImage Load(string archive)
    {
        var blobs = ReadSmallEntries(archive);
        using var index = JsonDocument.Parse(blobs["index.json"]);
        var manifests = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        var tags = manifests
            .Select(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var t) ? t.GetString() : null)
            .OfType<string>()
            .ToList();
        var manifestDigest = manifests[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(blobs[BlobPath(manifestDigest)]);
        var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => new LayerBlob(l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64(), l.GetProperty("mediaType").GetString()!))
            .ToList();
        using var config = JsonDocument.Parse(blobs[BlobPath(configDigest)]);
        return new OciImage(archive, tags, ImageConfig.Parse(config.RootElement.GetProperty("config")), layers);
    }

    /// <summary>Unpacks the layers in order into <paramref name="rootfs"/> with tar (owners, modes, links kept). Returns the bytes unpacked.</summary>
    public long Unpack(string rootfs)
    {
        Directory.CreateDirectory(rootfs);
        var blobs = Path.Combine(rootfs + ".blobs");
        Directory.CreateDirectory(blobs);
        try
        {
            RunTar(["-xf", _archive, "-C", blobs, "blobs"]);
            foreach (var layer in Layers)
            {
                var file = Path.Combine(blobs, BlobPath(layer.Digest));
                ApplyWhiteouts(file, rootfs);
                RunTar(["--numeric-owner", "--same-owner", "-xpzf", file, "-C", rootfs, "--exclude=.wh.*", "--exclude=*/.wh.*"]);
            }
        }
        finally
        {
            Directory.Delete(blobs, recursive: true);
        }

        return UnpackedBytes(rootfs);
    }

    private static void ApplyWhiteouts(string layer, string rootfs)
    {
        // A layer deletes a lower layer's file with an empty ".wh.<name>" entry.
        using var stream = new System.IO.Compression.GZipStream(File.OpenRead(layer), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var name = Path.GetFileName(entry.Name.TrimEnd('/'));
            if (name.StartsWith(".wh.", StringComparison.Ordinal) && name != ".wh..wh..opq")
            {
                var target = Path.Combine(rootfs, Path.GetDirectoryName(entry.Name) ?? "", name[4..]);
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
                else
                {
                    File.Delete(target);
                }
            }
        }
    }

    /// <summary>Bytes of the regular files under a root file system (a hard link counts once per name).</summary>
    public static long UnpackedBytes(string rootfs) =>
        // Symbolic links are skipped, directories too: dev/fd points at the host's /proc/self/fd.
        new DirectoryInfo(rootfs).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length);

    private static string BlobPath(string digest) => "blobs/" + digest.Replace(':', '/');

    private static Dictionary<string, byte[]> ReadSmallEntries(string archive)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { Length: < 1_000_000 } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
            }
        }

        return entries;
    }

    private static void RunTar(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("tar", arguments) { RedirectStandardError = true };
        using var tar = Process.Start(start)!;
        var error = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        if (tar.ExitCode != 0)
        {
            throw new InvalidOperationException($"tar {string.Join(' ', start.ArgumentList)} failed: {error}");
        }
    }
}

public sealed record LayerBlob(string Digest, long Size, string MediaType);
