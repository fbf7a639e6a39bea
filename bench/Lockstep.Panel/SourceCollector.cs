using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>
/// The C# files of a library: every <c>*.cs</c> below its folders, recursively, except folders the panel skips
/// everywhere (build output, tests, benchmarks, samples) and the library's own excludes. Ordered by path so runs are
/// comparable file by file. Includes win over excludes, as MSBuild's Compile Include after a Compile Remove does.
/// </summary>
public static class SourceCollector
{
    public static List<SourceFile> Collect(string root, PanelLibrary library, IReadOnlyCollection<string> skipFolders)
    {
        var skip = new HashSet<string>(skipFolders, StringComparer.OrdinalIgnoreCase);
        return Collect(root, library.Name, library.Folders, skip, Patterns(library.Excludes), Patterns(library.Includes));
    }

    /// <summary>Files of folders compiled only as references: the panel's skipped folders, nothing else left out.</summary>
    public static List<SourceFile> CollectReference(string root, PanelLibrary library, string folder, IReadOnlyCollection<string> skipFolders) =>
        Collect(root, library.Name, new[] { folder }, new HashSet<string>(skipFolders, StringComparer.OrdinalIgnoreCase), new List<GlobPattern>(), new List<GlobPattern>());

    private static List<GlobPattern> Patterns(IEnumerable<string> patterns) => patterns.Select(p => new GlobPattern(p)).ToList();

    private static List<SourceFile> Collect(string root, string libraryName, IEnumerable<string> folders, HashSet<string> skip, List<GlobPattern> excludes, List<GlobPattern> includes)
    {
        var files = new List<SourceFile>();
        foreach (string folder in folders)
        {
            string start = Path.Combine(root, folder);
            if (!System.IO.Directory.Exists(start))
            {
                throw new DirectoryNotFoundException($"{libraryName}: folder {folder} is not in {root}; extract the snapshot first (--print-extract).");
            }

            Walk(start, root, skip, excludes, includes, files);
        }

        return files
            .GroupBy(f => f.FullPath, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    private static void Walk(string directory, string root, HashSet<string> skip, List<GlobPattern> excludes, List<GlobPattern> includes, List<SourceFile> files)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*.cs"))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (!excludes.Any(e => e.IsMatch(relative)) || includes.Any(i => i.IsMatch(relative)))
            {
                files.Add(new SourceFile(file, relative));
            }
        }

        foreach (string child in System.IO.Directory.EnumerateDirectories(directory))
        {
            if (!skip.Contains(Path.GetFileName(child)))
            {
                Walk(child, root, skip, excludes, includes, files);
            }
        }
    }
}
