using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>What one compilation of a test project reported, each list sorted by file, span and ID.</summary>
internal sealed record AnalysisResult(
    Project Project,
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics);
