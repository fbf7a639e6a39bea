using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// The compile of the corpus with no analyzers (baseline), with the no-op floor analyzers, and with every Lockstep
/// analyzer. Each benchmark builds a fresh compilation from the pre-parsed trees, so nothing bound is reused.
/// </summary>
[Config(typeof(AnalyzerCostConfig))]
public class AnalyzerCostBenchmarks
{
    private AnalyzerCostWorkload _workload = null!;
    private ImmutableArray<DiagnosticAnalyzer> _empty;
    private ImmutableArray<DiagnosticAnalyzer> _emptyOperation;
    private ImmutableArray<DiagnosticAnalyzer> _all;

    [GlobalSetup]
    public void Setup()
    {
        _workload = AnalyzerCostWorkload.Shared;
        AnalyzerCostBenchmarkSupport.EnsureCorpusCompiles(_workload);
        _workload.WarmUpProcess();
        _empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
        _emptyOperation = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer());
        // With no Lockstep analyzers yet this measures the driver floor, and the report says so.
        _all = _workload.Catalog.All.IsEmpty ? _empty : _workload.Catalog.All;
    }

    /// <summary>The compilation's own time: compiler diagnostics, then emit.</summary>
    [Benchmark(Baseline = true)]
    public int Compile() => AnalyzerCostBenchmarkSupport.Consume(_workload.Compile());

    /// <summary>Driver floor: an analyzer that registers no actions.</summary>
    [Benchmark]
    public int CompileWithEmptyAnalyzer() => AnalyzerCostBenchmarkSupport.Consume(_workload.CompileWithAnalyzers(_empty));

    /// <summary>Operation floor: an empty invocation action (builds the IOperation trees every operation-based rule shares).</summary>
    [Benchmark]
    public int CompileWithEmptyOperationAnalyzer() => AnalyzerCostBenchmarkSupport.Consume(_workload.CompileWithAnalyzers(_emptyOperation));

    [Benchmark]
    public int CompileWithAllAnalyzers() => AnalyzerCostBenchmarkSupport.Consume(_workload.CompileWithAnalyzers(_all));
}

/// <summary>The compile with one family's analyzers attached; one case per family found in Lockstep.Analyzers.</summary>
[Config(typeof(AnalyzerCostConfig))]
public class AnalyzerCostByFamilyBenchmarks
{
    /// <summary>Parameter value used when Lockstep.Analyzers has no analyzers yet (runs the driver floor).</summary>
    public const string NoFamilies = "none";

    private AnalyzerCostWorkload _workload = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [ParamsSource(nameof(Families))]
    public string Family { get; set; } = NoFamilies;

    public static IEnumerable<string> Families()
    {
        var names = AnalyzerCatalog.Discover().Families.Select(f => f.Name).ToList();
        return names.Count > 0 ? names : new List<string> { NoFamilies };
    }

    [GlobalSetup]
    public void Setup()
    {
        _workload = AnalyzerCostWorkload.Shared;
        AnalyzerCostBenchmarkSupport.EnsureCorpusCompiles(_workload);
        _workload.WarmUpProcess();
        _analyzers = Family == NoFamilies
            ? ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer())
            : _workload.Catalog.Family(Family).Analyzers;
    }

    [Benchmark]
    public int CompileWithFamily() => AnalyzerCostBenchmarkSupport.Consume(_workload.CompileWithAnalyzers(_analyzers));
}

internal static class AnalyzerCostBenchmarkSupport
{
    private static bool _checked;

    public static void EnsureCorpusCompiles(AnalyzerCostWorkload workload)
    {
        if (_checked)
        {
            return;
        }

        var errors = workload.CompilerDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The benchmark corpus does not compile ({errors.Count} errors), so timings would be meaningless. First: {errors[0]}");
        }

        _checked = true;
    }

    /// <summary>Fails the benchmark if the run did not do the work it claims (a failed emit is much faster).</summary>
    public static int Consume(RunResult result)
    {
        if (!result.EmitSucceeded || result.CompilerErrors > 0 || result.AnalyzerExceptions > 0)
        {
            throw new InvalidOperationException(
                $"Run failed: emit {(result.EmitSucceeded ? "ok" : "failed")}, {result.CompilerErrors} compiler errors, {result.AnalyzerExceptions} analyzer exceptions.");
        }

        return result.AnalyzerDiagnostics.Length;
    }
}
