using System.Collections.Immutable;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// One <see cref="SolutionState"/> ready to build: markup removed, and every expected diagnostic (from markup and
/// from <see cref="SolutionState.ExpectedDiagnostics"/>) resolved to concrete paths and spans.
/// </summary>
internal sealed record PreparedState(
    string Name,
    ImmutableArray<PreparedFile> Sources,
    ImmutableArray<PreparedFile> AdditionalFiles,
    ImmutableArray<(string Path, string Text)> AnalyzerConfigFiles,
    ImmutableArray<DiagnosticResult> ExpectedDiagnostics);
