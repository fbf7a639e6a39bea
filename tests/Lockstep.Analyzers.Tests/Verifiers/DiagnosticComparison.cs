using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>The outcome of comparing expected with actual diagnostics; empty lists mean they agree.</summary>
internal sealed record DiagnosticComparison(
    IReadOnlyList<DiagnosticResult> Missing,
    IReadOnlyList<Diagnostic> Unexpected,
    IReadOnlyList<DiagnosticMismatch> Mismatched)
{
    public bool IsMatch => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;
}
