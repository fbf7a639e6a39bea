using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>How a person judged one finding.</summary>
public enum Verdict
{
    /// <summary>A real problem.</summary>
    True,

    /// <summary>Correct reasoning a careful maintainer might still keep (by design, benign, or needs more context).</summary>
    Defensible,

    /// <summary>Wrong: the code is correct.</summary>
    False,
}

/// <summary>One judged finding: which one (library, path, line, rule), the verdict and a one-line reason.</summary>
public sealed record JudgedFinding(string Library, string Path, int Line, string Rule, Verdict Verdict, string Reason);

/// <summary>
/// The verdicts file (TSV: library, path, line, rule, verdict, reason; # starts a comment) joined with a run's findings:
/// per rule and level, how many findings were judged and the precision they give, (true + defensible) / judged.
/// A verdict matches a finding by library, path, line and rule, so a rerun on the same commits finds its verdicts again.
/// </summary>
public static class Verdicts
{
    public static IReadOnlyList<JudgedFinding> Read(string path)
    {
        var verdicts = new List<JudgedFinding>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;

            var fields = line.Split('\t');
            if (fields.Length < 6 || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)
                || !Enum.TryParse<Verdict>(fields[4], ignoreCase: true, out var verdict))
            {
                throw new FormatException($"{path}: not 'library, path, line, rule, verdict, reason': {raw}");
            }

            verdicts.Add(new JudgedFinding(fields[0], fields[1], number, fields[3], verdict, fields[5]));
        }

        return verdicts;
    }

    /// <summary>Writes the precision per rule and level, the Warning-level findings nobody judged, and every verdict.</summary>
    public static void Write(TextWriter output, IReadOnlyList<LibraryResult> results, IReadOnlyList<JudgedFinding> verdicts, string verdictsPath)
    {
        var byKey = verdicts.GroupBy(v => (v.Library, v.Path, v.Line, v.Rule)).ToDictionary(g => g.Key, g => g.First());
        var findings = results.SelectMany(r => r.Findings).ToList();
        JudgedFinding? VerdictOf(Finding f) => byKey.TryGetValue((f.Library, f.Path, f.Line, f.Rule), out var v) ? v : null;

        output.WriteLine("## Verdicts");
        output.WriteLine();
        output.WriteLine($"From `{verdictsPath}`: true = a real problem, defensible = correct reasoning a careful maintainer might keep, false = the code is correct. Precision = (true + defensible) / judged.");
        output.WriteLine();
        output.WriteLine("| Rule | Level | Findings | Judged | True | Defensible | False | Precision |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in findings.GroupBy(f => (f.Rule, f.Level)).OrderBy(g => g.Key.Rule, StringComparer.Ordinal).ThenBy(g => g.Key.Level))
            WriteRow(output, group.Key.Rule, group.Key.Level.ToString(), group.ToList(), VerdictOf);

        var warningLevel = findings.Where(f => f.Level.IsWarningOrAbove()).ToList();
        WriteRow(output, "**Warning-level**", string.Empty, warningLevel, VerdictOf);
        output.WriteLine();

        var unjudged = warningLevel.Where(f => VerdictOf(f) is null).ToList();
        if (unjudged.Count > 0)
        {
            output.WriteLine($"Warning-level findings without a verdict ({unjudged.Count}):");
            output.WriteLine();
            foreach (var f in unjudged)
                output.WriteLine($"- {f.Library} `{f.Path}:{f.Line}` {f.Rule}: {f.Message}");
            output.WriteLine();
        }

        var stale = verdicts.Where(v => !findings.Any(f => f.Library == v.Library && f.Path == v.Path && f.Line == v.Line && f.Rule == v.Rule)).ToList();
        if (stale.Count > 0)
            output.WriteLine($"{stale.Count} verdicts match no finding of this run (the finding went away or moved).");
    }

    private static void WriteRow(TextWriter output, string rule, string level, List<Finding> findings, Func<Finding, JudgedFinding?> verdictOf)
    {
        var judged = findings.Select(verdictOf).Where(v => v is not null).Select(v => v!.Verdict).ToList();
        int trueCount = judged.Count(v => v == Verdict.True);
        int defensible = judged.Count(v => v == Verdict.Defensible);
        int falseCount = judged.Count(v => v == Verdict.False);
        string precision = judged.Count == 0 ? "—" : ((trueCount + defensible) * 100.0 / judged.Count).ToString("F0", CultureInfo.InvariantCulture) + " %";
        output.WriteLine($"| {rule} | {level} | {findings.Count} | {judged.Count} | {trueCount} | {defensible} | {falseCount} | {precision} |");
    }
}
