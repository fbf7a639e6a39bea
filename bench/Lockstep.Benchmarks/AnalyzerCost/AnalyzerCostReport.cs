using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Reports;

namespace Lockstep.Benchmarks.AnalyzerCost;

internal static class AnalyzerCostReport
{
    public static void PrintAfterBenchmarkDotNet(IEnumerable<Summary> summaries, TextWriter output)
    {
    }
}
