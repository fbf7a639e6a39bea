using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// <c>--analyzer-cost-quick</c>: the BenchmarkDotNet measurements with a Stopwatch (one warm-up run per variant, then
/// N rounds, median), for developers and notes. Rounds visit the variants in a rotating order so slow drift of the
/// machine spreads over all of them.
/// </summary>
internal static class QuickAnalyzerCost
{
    private const string AllLabel = "All Lockstep analyzers";

    public static int Run(int repetitions, TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var workload = AnalyzerCostWorkload.Shared;
        var corpus = workload.Corpus;
        var catalog = workload.Catalog;
        output.WriteLine("# Lockstep analyzer cost (quick mode)");
        output.WriteLine();
        output.WriteLine($"- Corpus: {corpus.Files.Count} files, **{corpus.LineCount:N0} lines** (seed 0x{corpus.Seed:x}), set up in {total.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"- References: {workload.References.Length} assemblies from `{workload.ReferenceSource}` + Lockstep");
        output.WriteLine($"- Analyzers found in {AnalyzerCatalog.AnalyzerAssembly.GetName().Name}: {catalog.All.Length}"
            + (catalog.Families.Count == 0 ? "" : " (" + string.Join(", ", catalog.Families.Select(f => $"{f.Name} {f.Analyzers.Length}")) + ")"));
        output.WriteLine($"- Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, Roslyn {typeof(Compilation).Assembly.GetName().Version}");

        var compilerDiagnostics = workload.CompilerDiagnostics();
        var errors = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            output.WriteLine($"The corpus does not compile ({errors.Count} errors); the figures would be meaningless:");
            foreach (var error in errors.Take(20))
            {
                output.WriteLine("  " + error);
            }

            return 1;
        }

        var variants = Variants(workload);
        output.WriteLine($"- Variants: {variants.Count}; warm-up, then {repetitions} measured rounds (median)");
        output.WriteLine($"- Load average at start: {LoadAverage()}");

        // Warm-up: plain compiles, then every analyzer (the families are subsets), until tiered compilation settles.
        var warmUp = Stopwatch.StartNew();
        workload.WarmUpProcess();
        output.WriteLine($"- Warm-up: {warmUp.Elapsed.TotalSeconds:F0} s");
        output.WriteLine();

        var times = variants.ToDictionary(v => v.Label, _ => new List<double>());
        var cpuTimes = variants.ToDictionary(v => v.Label, _ => new List<double>());
        var allocated = variants.ToDictionary(v => v.Label, _ => new List<double>());
        var results = new Dictionary<string, RunResult>();
        for (int round = 0; round < repetitions; round++)
        {
            for (int k = 0; k < variants.Count; k++)
            {
                var variant = variants[(k + round) % variants.Count];
                Quiesce();
                long bytesStart = GC.GetTotalAllocatedBytes(precise: true);
                var cpuStart = Environment.CpuUsage.TotalTime;
                long start = Stopwatch.GetTimestamp();
                var result = variant.Run();
                times[variant.Label].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                cpuTimes[variant.Label].Add((Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds);
                allocated[variant.Label].Add((GC.GetTotalAllocatedBytes(precise: true) - bytesStart) / (1024.0 * 1024.0));
                Check(variant, result);
                results[variant.Label] = result;
            }
        }

        List<CostRow> Rows(Dictionary<string, List<double>> measured)
        {
            double Median(string label) => MedianOf(measured[label]);
            var rows = new List<CostRow>
            {
                new("(driver floor: analyzer with no actions)", "1 no-op", Median("(driver floor)")),
                new("(operation floor: empty invocation action)", "1 no-op", Median("(operation floor)")),
            };
            foreach (var family in catalog.Families)
            {
                rows.Add(new CostRow(
                    family.Name,
                    family.Analyzers.Length.ToString(CultureInfo.InvariantCulture),
                    Median(family.Name),
                    Findings.Of(corpus, family.Name, family.DiagnosticIds, results[family.Name].AnalyzerDiagnostics)));
            }

            if (catalog.All.Length > 0)
            {
                // With a single family the two sets are the same analyzers: measured once, under the family's name.
                string label = measured.ContainsKey(AllLabel) ? AllLabel : catalog.Families[0].Name;
                var all = results[label].AnalyzerDiagnostics;
                var perFamily = catalog.Families.Select(f => Findings.Of(corpus, f.Name, f.DiagnosticIds, all)).ToList();
                rows.Add(new CostRow(
                    AllLabel,
                    catalog.All.Length.ToString(CultureInfo.InvariantCulture),
                    Median(label),
                    new Findings(perFamily.Sum(f => f.Diagnostics), perFamily.Sum(f => f.Seeded), perFamily.Sum(f => f.SeededFound), perFamily.Sum(f => f.Outside))));
            }

            return rows;
        }

        output.WriteLine($"## Cost per 1,000 lines ({corpus.LineCount:N0} lines, median of {repetitions})");
        output.WriteLine();
        CostTable.Write(output, corpus.LineCount, MedianOf(times["Compile"]), MedianOf(times["(driver floor)"]), MedianOf(times["(operation floor)"]), Rows(times), withCounts: true);
        output.WriteLine();
        output.WriteLine("Same, by process CPU time (all threads; less disturbed than wall time by other load on the machine, not immune):");
        output.WriteLine();
        CostTable.Write(output, corpus.LineCount, MedianOf(cpuTimes["Compile"]), MedianOf(cpuTimes["(driver floor)"]), MedianOf(cpuTimes["(operation floor)"]), Rows(cpuTimes), withCounts: false);
        output.WriteLine();
        if (catalog.All.Length == 0)
        {
            output.WriteLine("No Lockstep analyzers were found: only the compile and the floors are measured.");
            output.WriteLine();
        }

        output.WriteLine("Seeded pitfalls by family (all families, including those without analyzers yet): "
            + string.Join(", ", corpus.SeededPitfalls.Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine();
        output.WriteLine("## Raw timings (ms per compile of the whole corpus) and allocations");
        output.WriteLine();
        output.WriteLine("| Variant | Median | Min | Max | CPU median | Allocated (MB, median) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var t = times[variant.Label];
            output.WriteLine(FormattableString.Invariant(
                $"| {variant.Label} | {MedianOf(t):F0} | {t.Min():F0} | {t.Max():F0} | {MedianOf(cpuTimes[variant.Label]):F0} | {MedianOf(allocated[variant.Label]):F0} |"));
        }

        output.WriteLine();
        output.WriteLine("Allocations do not depend on the load of the machine: when the timings are noisy, compare those.");

        output.WriteLine();
        if (catalog.All.Length > 0)
        {
            WritePerAnalyzer(workload, output);
        }

        if (workload.AnalyzerExceptions.Count > 0)
        {
            var (analyzer, exception) = workload.AnalyzerExceptions.First();
            output.WriteLine($"**{workload.AnalyzerExceptions.Count} analyzer exceptions (AD0001)**; first, from {analyzer.GetType().Name}:");
            output.WriteLine("```");
            output.WriteLine(exception.ToString());
            output.WriteLine("```");
        }

        output.WriteLine($"Load average at end: {LoadAverage()}. Other work on the machine inflates the medians; the Min column is the least disturbed run.");
        output.WriteLine();
        output.WriteLine($"Quick mode finished in {total.Elapsed.TotalSeconds:F0} s.");
        return workload.AnalyzerExceptions.Count == 0 ? 0 : 2;
    }

    private sealed record Variant(string Label, Func<RunResult> Run);

    private static List<Variant> Variants(AnalyzerCostWorkload workload)
    {
        var catalog = workload.Catalog;
        var variants = new List<Variant>
        {
            new("Compile", workload.Compile),
            new("(driver floor)", () => workload.CompileWithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()))),
            new("(operation floor)", () => workload.CompileWithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer()))),
        };
        foreach (var family in catalog.Families)
        {
            variants.Add(new Variant(family.Name, () => workload.CompileWithAnalyzers(family.Analyzers)));
        }

        if (catalog.Families.Count > 1)
        {
            variants.Add(new Variant(AllLabel, () => workload.CompileWithAnalyzers(catalog.All)));
        }

        return variants;
    }

    private static void Check(Variant variant, RunResult result)
    {
        if (!result.EmitSucceeded || result.CompilerErrors > 0)
        {
            throw new InvalidOperationException($"{variant.Label}: emit failed or {result.CompilerErrors} compiler errors; the corpus must compile.");
        }
    }

    /// <summary>Per-analyzer time inside callbacks (Roslyn telemetry, summed over threads) from one extra analysis.</summary>
    private static void WritePerAnalyzer(AnalyzerCostWorkload workload, TextWriter output)
    {
        var analysis = workload.AnalyzeWithTelemetry(workload.Catalog.All);
        var diagnostics = analysis.GetAllDiagnostics();
        output.WriteLine("## Per analyzer (one analysis with all analyzers, execution time logged)");
        output.WriteLine();
        output.WriteLine("| Analyzer | Family | Diagnostics by ID | Time in callbacks (ms, all threads) |");
        output.WriteLine("|---|---|---|---:|");
        foreach (var analyzer in workload.Catalog.All)
        {
            var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
            string counts = string.Join(", ", ids.Select(id => $"{id}: {diagnostics.Count(d => d.Id == id)}"));
            string family = string.Join(", ", analyzer.SupportedDiagnostics.Select(d => AnalyzerCatalog.ShortName(d.Category)).Distinct());
            string time = analysis.AnalyzerTelemetryInfo.TryGetValue(analyzer, out var telemetry)
                ? telemetry.ExecutionTime.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)
                : "n/a";
            output.WriteLine($"| {analyzer.GetType().Name} | {family} | {counts} | {time} |");
        }

        output.WriteLine();
        output.WriteLine("Each finding with its source line: `--corpus-diagnostics [ID prefix]`.");
        output.WriteLine();
    }

    /// <summary>The 1, 5 and 15 minute load averages on Linux (runnable threads; compare with the core count).</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores"
                : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double MedianOf(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
