using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>A line diff in unified style, with expected and actual line numbers on every line.</summary>
internal static class TextDiff
{
    private const int ContextLines = 3;

    public static string Unified(string expected, string actual, string path)
    {
        var oldLines = expected.Split('\n');
        var newLines = actual.Split('\n');
        var edits = Edits(oldLines, newLines);

        var text = new StringBuilder();
        text.Append("--- expected ").AppendLine(path);
        text.Append("+++ actual   ").AppendLine(path);
        foreach (var (start, end) in Hunks(edits))
        {
            var first = edits[start];
            var oldCount = edits.Skip(start).Take(end - start).Count(e => e.Kind != '+');
            var newCount = edits.Skip(start).Take(end - start).Count(e => e.Kind != '-');
            text.AppendLine(CultureInfo.InvariantCulture, $"@@ -{first.OldIndex + 1},{oldCount} +{first.NewIndex + 1},{newCount} @@");
            for (var i = start; i < end; i++)
            {
                var edit = edits[i];
                var oldNumber = edit.Kind == '+' ? string.Empty : (edit.OldIndex + 1).ToString(CultureInfo.InvariantCulture);
                var newNumber = edit.Kind == '-' ? string.Empty : (edit.NewIndex + 1).ToString(CultureInfo.InvariantCulture);
                var line = edit.Kind == ' ' ? edit.Text : ShowWhitespace(edit.Text);
                text.Append(edit.Kind).Append(oldNumber.PadLeft(4)).Append(' ').Append(newNumber.PadLeft(4)).Append(" | ").AppendLine(line);
            }
        }

        if (oldLines.Select(l => l.TrimEnd()).SequenceEqual(newLines.Select(l => l.TrimEnd())))
            text.AppendLine("(the texts differ only in trailing whitespace: shown as '·', tabs as '→')");
        return text.ToString();
    }

    private static string ShowWhitespace(string line)
    {
        var trimmed = line.TrimEnd();
        return trimmed.Replace("\t", "→", StringComparison.Ordinal) + new string('·', line.Length - trimmed.Length);
    }

    /// <summary>The shortest edit script via the longest common subsequence of lines (test sources are small).</summary>
    private static List<Edit> Edits(string[] oldLines, string[] newLines)
    {
        var common = new int[oldLines.Length + 1, newLines.Length + 1];
        for (var i = oldLines.Length - 1; i >= 0; i--)
        {
            for (var j = newLines.Length - 1; j >= 0; j--)
            {
                common[i, j] = oldLines[i] == newLines[j]
                    ? common[i + 1, j + 1] + 1
                    : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var edits = new List<Edit>();
        int o = 0, n = 0;
        while (o < oldLines.Length || n < newLines.Length)
        {
            if (o < oldLines.Length && n < newLines.Length && oldLines[o] == newLines[n])
            {
                edits.Add(new Edit(' ', o, n, oldLines[o]));
                o++;
                n++;
            }
            else if (o < oldLines.Length && (n == newLines.Length || common[o + 1, n] >= common[o, n + 1]))
            {
                // Removals first, so a changed line reads "- old" then "+ new".
                edits.Add(new Edit('-', o, n, oldLines[o]));
                o++;
            }
            else
            {
                edits.Add(new Edit('+', o, n, newLines[n]));
                n++;
            }
        }

        return edits;
    }

    /// <summary>Ranges of edits to print: every change with up to <see cref="ContextLines"/> unchanged lines around it, overlapping ranges merged.</summary>
    private static IEnumerable<(int Start, int End)> Hunks(List<Edit> edits)
    {
        var changes = edits.Select((e, i) => (e, i)).Where(x => x.e.Kind != ' ').Select(x => x.i).ToList();
        var hunkStart = -1;
        var hunkEnd = -1;
        foreach (var change in changes)
        {
            var start = Math.Max(0, change - ContextLines);
            var end = Math.Min(edits.Count, change + ContextLines + 1);
            if (hunkStart >= 0 && start <= hunkEnd)
            {
                hunkEnd = end;
                continue;
            }

            if (hunkStart >= 0)
                yield return (hunkStart, hunkEnd);
            hunkStart = start;
            hunkEnd = end;
        }

        if (hunkStart >= 0)
            yield return (hunkStart, hunkEnd);
    }

    private readonly record struct Edit(char Kind, int OldIndex, int NewIndex, string Text);
}
