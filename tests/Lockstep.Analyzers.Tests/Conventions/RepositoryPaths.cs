using System;
using System.IO;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>Finds files of the repository from the test output folder (the folder that holds Analyzers.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    /// <summary>A property Directory.Build.props declares (LockstepRepositoryUrl, LockstepDocsBranch, VersionPrefix).</summary>
    public static string BuildProperty(string name)
    {
        var props = System.Xml.Linq.XDocument.Load(Combine("Directory.Build.props"));
        foreach (var element in props.Descendants())
        {
            if (element.Name.LocalName == name && !element.HasElements && element.Value.Trim().Length > 0)
                return element.Value.Trim();
        }

        throw new InvalidOperationException("Directory.Build.props declares no " + name);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
