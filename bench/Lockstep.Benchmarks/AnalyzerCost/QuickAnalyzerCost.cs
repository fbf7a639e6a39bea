using System.IO;

namespace Lockstep.Benchmarks.AnalyzerCost;

internal static class QuickAnalyzerCost
{
    public static int Run(int repetitions, TextWriter output) => 0;
}
