using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>
/// The printed report, in Markdown so its tables can go straight into docs/precision.md: one row per library, findings
/// per rule (split by default level) and library, analyzer time per analyzer, then each library's details. Analyzer
/// exceptions are printed first and last: a run with one is not a baseline.
/// </summary>
public static class PanelReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void WriteExceptions(TextWriter output, IReadOnlyList<LibraryResult> results)
    {
        var exceptions = results.SelectMany(r => r.Exceptions).ToList();
        if (exceptions.Count == 0)
        {
            output.WriteLine("Analyzer exceptions (AD0001): none.");
            return;
        }

        output.WriteLine($"!!! ANALYZER EXCEPTIONS (AD0001): {exceptions.Count} — these figures are not a baseline !!!");
        foreach (var e in exceptions)
        {
            output.WriteLine($"!!! {e.Library}: {e.Analyzer}: {FirstLines(e.Exception, 6)}");
        }
    }

    public static void WriteTotals(TextWriter output, IReadOnlyList<LibraryResult> results)
    {
        output.WriteLine("## Libraries");
        output.WriteLine();
        output.WriteLine("Warning-level: findings of rules that are Warning (or Error) by default. Times in seconds: compile = the compiler's own diagnostics; "
            + "analysis = an analysis with every Lockstep analyzer (it binds the code again), wall and process CPU; callbacks = time inside the analyzers' callbacks, summed over threads; "
            + "with --repetitions, medians over the rounds.");
        output.WriteLine();
        output.WriteLine("| Library | Commit | Files | Lines | Compiler errors | Warning-level | All findings | Warning-level / 10k lines | All / 10k lines | Compile s | Analysis wall s | Analysis CPU s | Callbacks s | AD0001 |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine($"| {r.Library.Name} | `{r.Library.Commit[..10]}` | {r.Files:N0} | {r.Lines:N0} | {r.CompilerErrors:N0} | {r.WarningLevelFindings} | {r.Findings.Count} | "
                + $"{F1(r.Per10kLines(r.WarningLevelFindings))} | {F1(r.Per10kLines(r.Findings.Count))} | {Seconds(r.CompileTime)} | {Seconds(r.AnalysisWallTime)} | "
                + $"{Seconds(r.AnalysisCpuTime)} | {Seconds(r.AnalyzerCallbackTime)} | {r.Exceptions.Count} |");
        }

        int lines = results.Sum(r => r.Lines);
        int warnings = results.Sum(r => r.WarningLevelFindings);
        int all = results.Sum(r => r.Findings.Count);
        output.WriteLine($"| **Total ({results.Count})** | | {results.Sum(r => r.Files):N0} | {lines:N0} | {results.Sum(r => r.CompilerErrors):N0} | {warnings} | {all} | "
            + $"{F1(Per10k(warnings, lines))} | {F1(Per10k(all, lines))} | {Seconds(Sum(results, r => r.CompileTime))} | {Seconds(Sum(results, r => r.AnalysisWallTime))} | "
            + $"{Seconds(Sum(results, r => r.AnalysisCpuTime))} | {Seconds(Sum(results, r => r.AnalyzerCallbackTime))} | {results.Sum(r => r.Exceptions.Count)} |");
        output.WriteLine();

        WriteRules(output, results, lines);
        WriteAnalyzerTimes(output, results);
    }

    public static void WriteLibraryDetails(TextWriter output, LibraryResult r)
    {
        output.WriteLine($"### {r.Library.Name}");
        output.WriteLine();
        output.WriteLine($"- {r.Library.Kind}; github.com/{r.Library.Repository} at `{r.Library.Commit}`; folders {string.Join(", ", r.Library.Folders.Select(f => $"`{f}`"))}");
        output.WriteLine($"- {r.Files:N0} files, {r.Lines:N0} lines; parsed in {Seconds(r.ParseTime)} s; {r.GeneratedFiles} files generated in {Seconds(r.GeneratorTime)} s; {r.PackageAssemblies} package assemblies referenced"
            + (r.MissingPackages.Count == 0 ? "" : $"; packages not found (run --restore): {string.Join(", ", r.MissingPackages)}"));
        output.WriteLine($"- Compiler errors: {r.CompilerErrors:N0}" + (r.TopCompilerErrors.Count == 0 ? "" : "; most frequent:"));
        foreach (var e in r.TopCompilerErrors)
        {
            output.WriteLine($"  - {e.Id} ×{e.Count}, e.g. {Truncate(e.Example, 160)}");
        }

        var rules = r.Findings.GroupBy(f => (f.Rule, f.Level)).OrderBy(g => g.Key.Rule, StringComparer.Ordinal).ThenBy(g => g.Key.Level);
        output.WriteLine("- Findings: " + (r.Findings.Count == 0 ? "none" : string.Join(", ", rules.Select(g => $"{g.Key.Rule} ({g.Key.Level}) {g.Count()}"))));
        output.WriteLine("- Callback time by analyzer (ms): " + string.Join(", ", r.AnalyzerTimes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value.TotalMilliseconds:F0}")));
        output.WriteLine($"- Analysis (median of {r.AnalysisRounds}): {Seconds(r.AnalysisWallTime)} s wall, {Seconds(r.AnalysisCpuTime)} s CPU; compile alone {Seconds(r.CompileTime)} s");
        if (r.Library.Notes.Length > 0)
        {
            output.WriteLine($"- Notes: {r.Library.Notes}");
        }

        output.WriteLine();
    }

    private static void WriteRules(TextWriter output, IReadOnlyList<LibraryResult> results, int lines)
    {
        output.WriteLine("## Findings per rule");
        output.WriteLine();
        output.WriteLine("One row per rule and default level (a rule with confidence tiers has one row per level). Per 10k lines over the whole panel.");
        output.WriteLine();
        output.WriteLine("| Rule | Default level | Findings | per 10k lines | " + string.Join(" | ", results.Select(r => r.Library.Name)) + " |");
        output.WriteLine("|---|---|---:|---:|" + string.Concat(results.Select(_ => "---:|")));
        var rows = results
            .SelectMany(r => r.Findings)
            .GroupBy(f => (f.Rule, f.Level))
            .OrderBy(g => g.Key.Rule, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Level);
        foreach (var row in rows)
        {
            var perLibrary = results.Select(r => r.Findings.Count(f => f.Rule == row.Key.Rule && f.Level == row.Key.Level));
            output.WriteLine($"| {row.Key.Rule} | {row.Key.Level} | {row.Count()} | {F1(Per10k(row.Count(), lines))} | {string.Join(" | ", perLibrary)} |");
        }

        output.WriteLine($"| **Warning-level** | | {results.Sum(r => r.WarningLevelFindings)} | {F1(Per10k(results.Sum(r => r.WarningLevelFindings), lines))} | {string.Join(" | ", results.Select(r => r.WarningLevelFindings))} |");
        output.WriteLine($"| **All** | | {results.Sum(r => r.Findings.Count)} | {F1(Per10k(results.Sum(r => r.Findings.Count), lines))} | {string.Join(" | ", results.Select(r => r.Findings.Count))} |");
        output.WriteLine();
    }

    private static void WriteAnalyzerTimes(TextWriter output, IReadOnlyList<LibraryResult> results)
    {
        output.WriteLine("## Analyzer callback time (ms, summed over threads)");
        output.WriteLine();
        output.WriteLine("| Analyzer | Total | " + string.Join(" | ", results.Select(r => r.Library.Name)) + " |");
        output.WriteLine("|---|---:|" + string.Concat(results.Select(_ => "---:|")));
        var analyzers = results.SelectMany(r => r.AnalyzerTimes.Keys).Distinct(StringComparer.Ordinal)
            .Select(a => (Name: a, Total: Sum(results, r => r.AnalyzerTimes.GetValueOrDefault(a))))
            .OrderByDescending(a => a.Total);
        foreach (var (name, total) in analyzers)
        {
            output.WriteLine($"| {name} | {total.TotalMilliseconds:F0} | {string.Join(" | ", results.Select(r => r.AnalyzerTimes.GetValueOrDefault(name).TotalMilliseconds.ToString("F0", Invariant)))} |");
        }

        output.WriteLine($"| **All** | {Sum(results, r => r.AnalyzerCallbackTime).TotalMilliseconds:F0} | {string.Join(" | ", results.Select(r => r.AnalyzerCallbackTime.TotalMilliseconds.ToString("F0", Invariant)))} |");
        output.WriteLine();
    }

    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static TimeSpan Sum(IEnumerable<LibraryResult> results, Func<LibraryResult, TimeSpan> selector) =>
        results.Aggregate(TimeSpan.Zero, (sum, r) => sum + selector(r));

    private static double Per10k(int count, int lines) => lines == 0 ? 0 : count * 10_000.0 / lines;

    private static string F1(double value) => value.ToString("F1", Invariant);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F1", Invariant);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static string FirstLines(string text, int count) => string.Join(" | ", text.Split('\n').Take(count).Select(l => l.Trim()));
}
