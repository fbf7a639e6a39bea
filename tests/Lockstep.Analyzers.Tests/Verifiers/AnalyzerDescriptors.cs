using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>The descriptors of one analyzer type, read once; backs the verifiers' <c>Diagnostic(…)</c> helpers.</summary>
internal static class AnalyzerDescriptors<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    private static readonly Lazy<ImmutableArray<DiagnosticDescriptor>> s_descriptors = new(() => new TAnalyzer().SupportedDiagnostics);

    public static DiagnosticResult Single()
    {
        var ids = s_descriptors.Value.Select(d => d.Id).Distinct().ToList();
        if (ids.Count != 1)
        {
            throw new VerifierException(
                $"{typeof(TAnalyzer).Name} supports {ids.Count} diagnostics ({string.Join(", ", ids)}); Diagnostic() needs exactly one. Use Diagnostic(\"ID\").");
        }

        return new DiagnosticResult(s_descriptors.Value[0]);
    }

    public static DiagnosticResult ById(string id)
    {
        var descriptor = s_descriptors.Value.FirstOrDefault(d => d.Id == id)
            ?? throw new VerifierException(
                $"{typeof(TAnalyzer).Name} does not support {id}; it supports {string.Join(", ", s_descriptors.Value.Select(d => d.Id).Distinct())}. "
                + "For compiler diagnostics use DiagnosticResult.CompilerError/CompilerWarning.");
        return new DiagnosticResult(descriptor);
    }
}
