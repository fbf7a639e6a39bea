using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// The references the corpus compiles against: the SDK's Microsoft.NETCore.App reference pack (highest version,
/// <c>ref/net{major}.0</c>) when installed, else the shared framework's trusted platform assemblies; plus the Lockstep
/// runtime library.
/// </summary>
internal static class ReferenceAssemblies
{
    public static ImmutableArray<MetadataReference> Load(out string source)
    {
        var paths = FromReferencePack(out source) ?? FromTrustedPlatformAssemblies(out source);
        string lockstep = typeof(Lockstep.RunsConcurrentlyAttribute).Assembly.Location;
        return paths
            .Append(lockstep)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static List<string>? FromReferencePack(out string source)
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var roots = new[]
            {
                // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>
                Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..")),
                Environment.GetEnvironmentVariable("DOTNET_ROOT"),
                "/usr/share/dotnet",
                "/usr/lib/dotnet",
            }
            .Where(r => !string.IsNullOrEmpty(r))
            .Distinct(StringComparer.Ordinal);

        string tfm = $"net{Environment.Version.Major}.0";
        foreach (string? root in roots)
        {
            string packs = Path.Combine(root!, "packs", "Microsoft.NETCore.App.Ref");
            if (!Directory.Exists(packs))
            {
                continue;
            }

            var newest = Directory.GetDirectories(packs)
                .Select(d => (Path: d, Version: ParseVersion(Path.GetFileName(d))))
                .Where(v => v.Version is not null)
                .OrderByDescending(v => v.Version)
                .Select(v => v.Path)
                .FirstOrDefault();
            if (newest is null)
            {
                continue;
            }

            string refDirectory = Path.Combine(newest, "ref", tfm);
            if (!Directory.Exists(refDirectory))
            {
                refDirectory = Directory.GetDirectories(Path.Combine(newest, "ref"), "net*").OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault() ?? "";
            }

            var dlls = Directory.Exists(refDirectory) ? Directory.GetFiles(refDirectory, "*.dll") : Array.Empty<string>();
            if (dlls.Length > 0)
            {
                source = refDirectory;
                return dlls.OrderBy(p => p, StringComparer.Ordinal).ToList();
            }
        }

        source = "";
        return null;
    }

    private static List<string> FromTrustedPlatformAssemblies(out string source)
    {
        // Only the shared framework's own assemblies: the benchmark's dependencies (Roslyn, BenchmarkDotNet) are also
        // trusted platform assemblies, and the corpus must not see them.
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        source = "trusted platform assemblies in " + runtimeDirectory;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
            .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    private static Version? ParseVersion(string folderName)
    {
        // "10.0.12" or "11.0.0-preview.3.…": prerelease folders sort below the release they precede.
        int dash = folderName.IndexOf('-', StringComparison.Ordinal);
        if (!Version.TryParse(dash < 0 ? folderName : folderName[..dash], out var version))
        {
            return null;
        }

        return dash < 0 ? new Version(version.Major, version.Minor, Math.Max(0, version.Build), 1) : new Version(version.Major, version.Minor, Math.Max(0, version.Build), 0);
    }
}
