using System.Collections.Generic;
using System.IO;

namespace Lockstep.Panel;

/// <summary>
/// <c>--findings PATH</c>: one finding per line, tab-separated with a header, for judging findings and for diffing two
/// runs (sorted by library, path, line). Kept out of git: write it under artifacts/ or the temp folder.
/// </summary>
public static class FindingsWriter
{
    public static void Write(string path, IEnumerable<LibraryResult> results)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var writer = new StreamWriter(path);
        writer.NewLine = "\n";
        writer.WriteLine("library\tpath\tline\tcolumn\trule\tdefault_level\tmessage");
        foreach (var result in results)
        {
            foreach (var f in result.Findings)
            {
                writer.WriteLine($"{f.Library}\t{f.Path}\t{f.Line}\t{f.Column}\t{f.Rule}\t{f.Level}\t{Clean(f.Message)}");
            }
        }
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
