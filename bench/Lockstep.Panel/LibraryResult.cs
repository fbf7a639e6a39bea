using System;
using System.Collections.Generic;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>What the panel measured on one library.</summary>
public sealed class LibraryResult
{
    public required PanelLibrary Library { get; init; }

    public required int Files { get; init; }

    /// <summary>All lines of the analysed files, blank lines and comments included (what "per 10,000 lines" divides by).</summary>
    public required int Lines { get; init; }

    public required int CompilerErrors { get; init; }

    public required IReadOnlyList<CompilerErrorGroup> TopCompilerErrors { get; init; }

    /// <summary>Package assemblies referenced beside the framework, and the listed packages not found.</summary>
    public required int PackageAssemblies { get; init; }

    public required IReadOnlyList<string> MissingPackages { get; init; }

    /// <summary>Files the framework's and the packages' source generators added (compiled and analysed, not counted in lines).</summary>
    public required int GeneratedFiles { get; init; }

    public required TimeSpan GeneratorTime { get; init; }

    public required TimeSpan ParseTime { get; init; }

    /// <summary>Wall time of the compiler's own diagnostics (binding every method body), without analyzers.</summary>
    public required TimeSpan CompileTime { get; init; }

    /// <summary>How many times the analysis ran; the times below are medians over these rounds.</summary>
    public required int AnalysisRounds { get; init; }

    /// <summary>Wall time of one analysis with every Lockstep analyzer; it binds the code again (see docs/precision.md).</summary>
    public required TimeSpan AnalysisWallTime { get; init; }

    /// <summary>Process CPU time (all threads) during that analysis.</summary>
    public required TimeSpan AnalysisCpuTime { get; init; }

    /// <summary>Roslyn's execution time inside each analyzer's callbacks, summed over threads, by analyzer type name.</summary>
    public required IReadOnlyDictionary<string, TimeSpan> AnalyzerTimes { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<AnalyzerException> Exceptions { get; init; }

    public TimeSpan AnalyzerCallbackTime => AnalyzerTimes.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

    public int WarningLevelFindings => Findings.Count(f => f.Level.IsWarningOrAbove());

    public double Per10kLines(int count) => Lines == 0 ? 0 : count * 10_000.0 / Lines;
}
