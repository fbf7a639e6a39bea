using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Reports;
using Lockstep.Benchmarks.Corpus;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// After a BenchmarkDotNet run that included the analyzer cost benchmarks: the same cost table as the quick mode,
/// from the reported means (the family benchmarks and the baseline live in different summaries, so BenchmarkDotNet's
/// own ratio column cannot relate them).
/// </summary>
internal static class AnalyzerCostReport
{
    public static void PrintAfterBenchmarkDotNet(IEnumerable<Summary> summaries, TextWriter output)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        double? Mean(string method, string? family = null) => reports
            .Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
                && (family is null || r.BenchmarkCase.Parameters["Family"] as string == family))
            .Select(r => (double?)r.ResultStatistics!.Mean)
            .FirstOrDefault();

        if (Mean(nameof(AnalyzerCostBenchmarks.Compile)) is not { } compileNs)
        {
            return; // The analyzer cost benchmarks were not part of this run.
        }

        int lines = CorpusGenerator.Generate().LineCount;
        var catalog = AnalyzerCatalog.Discover();
        double? driverFloorNs = Mean(nameof(AnalyzerCostBenchmarks.CompileWithEmptyAnalyzer));
        var rows = new List<CostRow>();
        if (driverFloorNs is { } driver)
        {
            rows.Add(new CostRow("(driver floor: analyzer with no actions)", "1 no-op", driver / 1e6));
        }

        double? operationFloorNs = Mean(nameof(AnalyzerCostBenchmarks.CompileWithEmptyOperationAnalyzer));
        if (operationFloorNs is { } operation)
        {
            rows.Add(new CostRow("(operation floor: empty invocation action)", "1 no-op", operation / 1e6));
        }

        foreach (var family in catalog.Families)
        {
            if (Mean(nameof(AnalyzerCostByFamilyBenchmarks.CompileWithFamily), family.Name) is { } ns)
            {
                rows.Add(new CostRow(family.Name, family.Analyzers.Length.ToString(CultureInfo.InvariantCulture), ns / 1e6));
            }
        }

        if (catalog.All.Length > 0 && Mean(nameof(AnalyzerCostBenchmarks.CompileWithAllAnalyzers)) is { } all)
        {
            rows.Add(new CostRow("All Lockstep analyzers", catalog.All.Length.ToString(CultureInfo.InvariantCulture), all / 1e6));
        }

        output.WriteLine();
        output.WriteLine($"## Lockstep analyzer cost per 1,000 lines ({lines:N0} corpus lines, BenchmarkDotNet means)");
        output.WriteLine();
        CostTable.Write(output, lines, compileNs / 1e6, driverFloorNs / 1e6, operationFloorNs / 1e6, rows, withCounts: false);
        if (catalog.All.Length == 0)
        {
            output.WriteLine();
            output.WriteLine("No Lockstep analyzers were found: CompileWithAllAnalyzers and CompileWithFamily(none) ran the driver floor analyzer.");
        }

        output.WriteLine();
        output.WriteLine("Diagnostics per family and per rule: run --analyzer-cost-quick.");
    }
}
