using System;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lockstep.Benchmarks.Corpus;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// A short in-process job: one compile of the corpus takes seconds, so a few iterations give a usable mean, and running
/// in-process avoids BenchmarkDotNet generating and building a second project (warnings are errors in this repository).
/// </summary>
public sealed class AnalyzerCostConfig : ManualConfig
{
    public AnalyzerCostConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(6)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("InProcessShort"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new MsPerThousandLinesColumn());
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared);
    }
}

/// <summary>Mean time per 1,000 corpus lines, in milliseconds.</summary>
public sealed class MsPerThousandLinesColumn : IColumn
{
    private static readonly Lazy<int> Lines = new(() => CorpusGenerator.Generate().LineCount);

    public string Id => nameof(MsPerThousandLinesColumn);

    public string ColumnName => "ms/1k lines";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean time per 1,000 lines of the generated corpus, in milliseconds";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNs is { } mean ? (mean / 1e6 / (Lines.Value / 1000.0)).ToString("F1", CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
