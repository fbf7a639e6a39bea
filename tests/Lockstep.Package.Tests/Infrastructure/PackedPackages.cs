using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>
/// Packs Lockstep.Analyzers and Lockstep once per test run, from the sources in this repository, into a
/// temporary folder feed. The version is unique to the run (NuGet serves a cached package for a version it has
/// seen before), and the build goes to a private artifacts folder so it never touches the projects' bin/obj.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    public const string AnalyzerPackageId = "Lockstep.Analyzers";
    public const string LibraryPackageId = "Lockstep";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    private readonly TemporaryDirectory _root = new("lockstep-pack");
    private readonly Lazy<Task<ConsumerProject>> _consumer;

    public PackedPackages() => _consumer = new Lazy<Task<ConsumerProject>>(() => ConsumerProject.CreateAsync(this));

    /// <summary>Prerelease label appended to the repository's VersionPrefix, e.g. <c>ci.20250101120000.g1a2b3c4d</c>.</summary>
    public string VersionSuffix { get; } =
        string.Create(CultureInfo.InvariantCulture, $"ci.{DateTime.UtcNow:yyyyMMddHHmmss}.g{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>The full version both packages were packed with (read back from the produced file name).</summary>
    public string Version { get; private set; } = "";

    public string FeedDirectory => _root.Combine("feed");

    public string AnalyzerPackagePath => Path.Combine(FeedDirectory, $"{AnalyzerPackageId}.{Version}.nupkg");

    public string LibraryPackagePath => Path.Combine(FeedDirectory, $"{LibraryPackageId}.{Version}.nupkg");

    public string LibrarySymbolsPackagePath => Path.Combine(FeedDirectory, $"{LibraryPackageId}.{Version}.snupkg");

    public async Task InitializeAsync()
    {
        try
        {
            await PackBothAsync().ConfigureAwait(false);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed.
            _root.Dispose();
            throw;
        }
    }

    private async Task PackBothAsync()
    {
        Directory.CreateDirectory(FeedDirectory);

        // The commands docs/getting-started.md tells a newcomer to run, as written there, with the feed folder and the
        // suffix pointed at this run's own (a suffix unique to the run keeps NuGet's caches out of it).
        var documented = DocumentedCommands.Block("pack");
        if (documented.Count != 2)
            throw new InvalidOperationException("Expected two pack commands in docs/getting-started.md, found: " + string.Join(" | ", documented));
        foreach (string line in documented)
            await PackAsync(DocumentedCommands.DotNetArguments(line)).ConfigureAwait(false);

        string prefix = AnalyzerPackageId + ".";
        foreach (string file in Directory.GetFiles(FeedDirectory, prefix + "*.nupkg"))
        {
            Version = Path.GetFileNameWithoutExtension(file)[prefix.Length..];
        }

        if (!Version.EndsWith("-" + VersionSuffix, StringComparison.Ordinal) || !File.Exists(LibraryPackagePath))
            throw new InvalidOperationException($"Expected both packages with suffix {VersionSuffix} in {FeedDirectory}, found: {string.Join(", ", Directory.GetFiles(FeedDirectory))}");
    }

    /// <summary>The consumer project, installed and built once for all tests that need it.</summary>
    public Task<ConsumerProject> ConsumerAsync() => _consumer.Value;

    public async Task DisposeAsync()
    {
        if (_consumer.IsValueCreated)
        {
            try
            {
                (await _consumer.Value.ConfigureAwait(false)).Dispose();
            }
            catch (Exception)
            {
                // Creating it failed and cleaned up after itself; the tests that needed it reported why.
            }
        }

        _root.Dispose();
    }

    public static XDocument ReadNuspec(string packagePath)
    {
        using ZipArchive archive = ZipFile.OpenRead(packagePath);
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            if (!entry.FullName.Contains('/', StringComparison.Ordinal) && entry.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            {
                using Stream stream = entry.Open();
                return XDocument.Load(stream);
            }
        }

        throw new InvalidOperationException($"{packagePath} has no .nuspec at its root.");
    }

    public static byte[] ReadEntry(string packagePath, string entryName)
    {
        using ZipArchive archive = ZipFile.OpenRead(packagePath);
        ZipArchiveEntry entry = archive.GetEntry(entryName) ?? throw new InvalidOperationException($"{packagePath} has no entry {entryName}.");
        using Stream stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The documented feed folder and version suffix, replaced by this run's.</summary>
    public const string DocumentedFeed = "artifacts/feed";
    public const string DocumentedSuffix = "local.1";

    private async Task PackAsync(string[] documentedArguments)
    {
        if (documentedArguments[0] != "pack" || !documentedArguments.Contains(DocumentedFeed) || !documentedArguments.Contains(DocumentedSuffix))
            throw new InvalidOperationException("Unexpected documented pack command: dotnet " + string.Join(" ", documentedArguments));

        var arguments = documentedArguments
            .Select(a => a == DocumentedFeed ? FeedDirectory : a == DocumentedSuffix ? VersionSuffix : a)
            // Isolation only: build output goes to a private folder (never the repository's bin/obj), no lingering servers.
            .Concat(new[] { "--artifacts-path", _root.Combine("artifacts"), "--disable-build-servers", "-tl:off" })
            .ToArray();
        ProcessResult result = await DotNet.RunAsync(Repository.Root, arguments, PackTimeout).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new InvalidOperationException("Packing failed. " + result.Describe());
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed packages";
}
