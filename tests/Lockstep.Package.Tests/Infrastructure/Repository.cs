using System;
using System.IO;
using System.Reflection;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>Where the sources being packed live, and the configuration this test assembly was built in.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Pack in the configuration the tests were built in (<c>dotnet test -c Release</c> packs Release).</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Release";

    public static string AnalyzerPackageProject => Path.Combine(Root, "src", "Lockstep.Analyzers.Package", "Lockstep.Analyzers.Package.csproj");

    public static string LibraryProject => Path.Combine(Root, "src", "Lockstep", "Lockstep.csproj");

    /// <summary>LockstepRepositoryUrl from Directory.Build.props: the one place the repository's address is written.</summary>
    public static string RepositoryUrl { get; } = ReadProperty("LockstepRepositoryUrl");

    /// <summary>Where the docs live on the web: <see cref="RepositoryUrl"/>/blob/LockstepDocsBranch.</summary>
    public static string DocsUrl { get; } = RepositoryUrl + "/blob/" + ReadProperty("LockstepDocsBranch");

    /// <summary>The version both packages carry before the prerelease suffix (VersionPrefix).</summary>
    public static string VersionPrefix { get; } = ReadProperty("VersionPrefix");

    public static bool IsGitCheckout => Directory.Exists(Path.Combine(Root, ".git")) || File.Exists(Path.Combine(Root, ".git"));

    private static string ReadProperty(string name)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        foreach (var element in props.Descendants())
        {
            if (element.Name.LocalName == name && !element.HasElements && element.Value.Trim().Length > 0)
                return element.Value.Trim();
        }

        throw new InvalidOperationException($"Directory.Build.props declares no {name}.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Analyzers.sln above {AppContext.BaseDirectory}: the package tests run from a build inside the repository.");
    }
}
