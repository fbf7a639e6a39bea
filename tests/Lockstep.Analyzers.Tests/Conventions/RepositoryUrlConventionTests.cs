using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>
/// The repository's address is written once, as LockstepRepositoryUrl in Directory.Build.props; the help links, the
/// package metadata and the package READMEs derive from it. A second copy would silently go stale after a move.
/// </summary>
public sealed class RepositoryUrlConventionTests
{
    private static readonly string[] TextExtensions = { ".cs", ".md", ".props", ".targets", ".csproj", ".json", ".txt", ".sh", ".yml" };

    [Fact]
    public void The_repository_address_is_written_only_in_Directory_Build_props()
    {
        string url = RepositoryPaths.BuildProperty("LockstepRepositoryUrl");
        // The host and owner part is what a stale copy would share with the real address.
        string ownerAndName = url.Substring(url.IndexOf("://", System.StringComparison.Ordinal) + 3);

        var offenders = new List<string>();
        foreach (string path in Directory.EnumerateFiles(RepositoryPaths.Root, "*", SearchOption.AllDirectories).Where(IsRepositoryText))
        {
            string relative = Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');
            if (relative == "Directory.Build.props")
                continue;
            if (File.ReadAllText(path).Contains(ownerAndName))
                offenders.Add(relative);
        }

        Assert.True(offenders.Count == 0, $"'{ownerAndName}' written outside Directory.Build.props (derive it from LockstepRepositoryUrl):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_analyzer_assembly_carries_the_declared_address()
    {
        Assert.Equal(RepositoryInfo.Url, RepositoryPaths.BuildProperty("LockstepRepositoryUrl"));
        Assert.StartsWith(RepositoryInfo.DocsUrl + "/docs/rules/", Descriptors.HelpLinkBase);
    }

    private static bool IsRepositoryText(string path)
    {
        string separator = Path.DirectorySeparatorChar.ToString();
        return TextExtensions.Contains(Path.GetExtension(path))
            && !path.Contains(separator + "bin" + separator)
            && !path.Contains(separator + "obj" + separator)
            && !path.Contains(separator + ".git" + separator)
            && !path.Contains(separator + "BenchmarkDotNet.Artifacts" + separator);
    }
}
