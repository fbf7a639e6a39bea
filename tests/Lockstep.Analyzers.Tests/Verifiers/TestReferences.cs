using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// The metadata references test sources compile against, created once per test run: reading a hundred and
/// more assemblies is the most expensive part of a verification, and Roslyn shares the symbols of one
/// <see cref="MetadataReference"/> instance between compilations. The testing framework's own
/// <c>ReferenceAssemblies</c> would download a reference pack from NuGet; these come from the SDK on this machine,
/// so the tests run offline and compile against exactly the framework a build here sees.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(LoadFramework);
    private static readonly Lazy<MetadataReference> s_runtimeLibrary = new(
        () => MetadataReference.CreateFromFile(typeof(global::Lockstep.RunsConcurrentlyAttribute).Assembly.Location));

    /// <summary>The .NET reference assemblies: the SDK's ref pack for the running major version, else the host's own framework.</summary>
    public static ImmutableArray<MetadataReference> Framework => s_framework.Value;

    /// <summary>The Lockstep runtime library (<c>Lockstep.dll</c>) the test project references.</summary>
    public static MetadataReference RuntimeLibrary => s_runtimeLibrary.Value;

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var paths = FindRefPack() ?? FindTrustedPlatformAssemblies();
        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    /// <summary>
    /// Reference assemblies are what a real build compiles against (no implementation-only types, no
    /// internals-visible-to surprises), so prefer <c>packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/net&lt;major&gt;.0</c>.
    /// </summary>
    private static string[]? FindRefPack()
    {
        // The runtime directory is <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        var dotnetRoot = runtimeDirectory.Parent?.Parent?.Parent;
        var packs = dotnetRoot is null ? null : new DirectoryInfo(Path.Combine(dotnetRoot.FullName, "packs", "Microsoft.NETCore.App.Ref"));
        if (packs is null || !packs.Exists)
            return null;

        var major = Environment.Version.Major;
        var tfm = $"net{major}.0";
        var refDirectory = packs.GetDirectories($"{major}.*")
            .Select(d => (Directory: d, Version: Version.TryParse(d.Name.Split('-')[0], out var v) ? v : null))
            .Where(d => d.Version is not null)
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory.FullName, "ref", tfm))
            .FirstOrDefault(Directory.Exists);
        if (refDirectory is null)
            return null;

        var dlls = Directory.GetFiles(refDirectory, "*.dll");
        return dlls.Length == 0 ? null : dlls.OrderBy(p => p, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Fallback: the framework assemblies the test host runs on. TRUSTED_PLATFORM_ASSEMBLIES also lists the test's
    /// own dependencies (Roslyn, xunit, the test SDK), which test sources must not see, so keep only the shared
    /// framework's assemblies.
    /// </summary>
    internal static string[] FindTrustedPlatformAssemblies()
    {
        var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("Neither the Microsoft.NETCore.App.Ref pack nor TRUSTED_PLATFORM_ASSEMBLIES is available.");
        var runtimeDirectory = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => IsFrameworkAssembly(path, runtimeDirectory))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
    }

    private static bool IsFrameworkAssembly(string path, string runtimeDirectory)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase))
            return false;
        var isFrameworkName = name.StartsWith("System.", StringComparison.Ordinal) || name == "System"
            || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name is "netstandard" or "mscorlib";
        return isFrameworkName && Path.GetFullPath(path).StartsWith(runtimeDirectory, StringComparison.Ordinal);
    }
}
