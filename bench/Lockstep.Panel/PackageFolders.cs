using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>
/// Compile assemblies of NuGet packages already in a packages folder (the global cache <c>~/.nuget/packages</c> by
/// default, or a folder <c>--restore</c> filled), for the package ids a library lists. Nothing is downloaded here.
/// </summary>
public sealed class PackageFolders
{
    /// <summary>Target frameworks a net10.0 project can use, best first.</summary>
    private static readonly string[] CompatibleFrameworks =
    {
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netcoreapp3.0",
        "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.3", "netstandard1.0",
    };

    public PackageFolders(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// The compile assemblies of <paramref name="packageSpec"/> (<c>Id</c>: the highest stable version present;
    /// <c>Id@version</c>: that version or the lowest higher one present), leaving out assemblies the framework already has, or null if it is absent.
    /// </summary>
    public ResolvedPackage? Resolve(string packageSpec, IReadOnlySet<string> frameworkAssemblies)
    {
        var (id, version) = Split(packageSpec);
        string packageDirectory = Path.Combine(Root, id.ToLowerInvariant());
        if (!Directory.Exists(packageDirectory))
        {
            return null;
        }

        var present = Directory.GetDirectories(packageDirectory)
            .Select(d => (Path: d, Version: ParseVersion(Path.GetFileName(d))))
            .Where(v => v.Version is not null)
            .ToList();
        // As NuGet reads a version: the lowest present that is at least the one asked for (a registry copy may lack
        // the exact one), or the highest stable one when none is asked for.
        var minimum = version is null ? null : ParseVersion(version);
        string? versionDirectory = minimum is not null
            ? present.Where(v => v.Version >= minimum).OrderBy(v => v.Version).Select(v => v.Path).FirstOrDefault()
            : present.Where(v => v.Version!.Revision == 1).OrderByDescending(v => v.Version).Select(v => v.Path).FirstOrDefault();
        if (versionDirectory is null)
        {
            return null;
        }

        string? generatorFolder = SourceGenerators.PackageGeneratorFolder(versionDirectory);
        var generators = generatorFolder is null ? new List<string>() : Directory.GetFiles(generatorFolder, "*.dll").OrderBy(p => p, StringComparer.Ordinal).ToList();

        // ref/ holds the compile surface when a package ships both; lib/ otherwise.
        foreach (string kind in new[] { "ref", "lib" })
        {
            foreach (string framework in CompatibleFrameworks)
            {
                string folder = Path.Combine(versionDirectory, kind, framework);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                var dlls = Directory.GetFiles(folder, "*.dll")
                    .Where(p => !frameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(p)))
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .ToList();
                return new ResolvedPackage(id, Path.GetFileName(versionDirectory), framework, dlls, generators);
            }
        }

        return new ResolvedPackage(id, Path.GetFileName(versionDirectory), "(no compatible framework)", new List<string>(), generators);
    }

    public static (string Id, string? Version) Split(string packageSpec)
    {
        int at = packageSpec.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (packageSpec.Trim(), null) : (packageSpec[..at].Trim(), packageSpec[(at + 1)..].Trim());
    }

    /// <summary>
    /// "10.0.12" or "11.0.0-preview.3.…" as a comparable version whose revision is 1 for a release and 0 for a
    /// prerelease, so prereleases sort below the release they precede; null for anything else.
    /// </summary>
    public static Version? ParseVersion(string folderName)
    {
        int dash = folderName.IndexOf('-', StringComparison.Ordinal);
        if (!Version.TryParse(dash < 0 ? folderName : folderName[..dash], out var version))
        {
            return null;
        }

        return new Version(version.Major, version.Minor, Math.Max(0, version.Build), dash < 0 ? 1 : 0);
    }
}
