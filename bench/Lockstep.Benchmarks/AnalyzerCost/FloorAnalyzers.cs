using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// Reference analyzers that do no work of their own. Running them gives the floors a family's cost should be read
/// against: what the analyzer driver costs before any rule logic runs.
/// </summary>
internal static class FloorAnalyzers
{
    public const string DriverFloorId = "LSBENCH01";
    public const string OperationFloorId = "LSBENCH02";

#pragma warning disable RS2008 // Benchmark-only descriptors; no release tracking.
    internal static readonly DiagnosticDescriptor DriverFloor = new(
        DriverFloorId, "Driver floor", "Driver floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    internal static readonly DiagnosticDescriptor OperationFloor = new(
        OperationFloorId, "Operation floor", "Operation floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);
#pragma warning restore RS2008
}

/// <summary>Registers no actions: measures the analyzer driver (its own compilation, compiler diagnostics, events).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(FloorAnalyzers.DriverFloor);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
    }
}

/// <summary>
/// Registers an invocation operation action that returns at once: the driver floor plus building the IOperation
/// trees, which every operation-based rule pays (once, shared by all of them).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(FloorAnalyzers.OperationFloor);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
