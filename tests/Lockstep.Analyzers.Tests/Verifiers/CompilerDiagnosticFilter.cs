using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Decides which compiler diagnostics of a test state are compared with the expected ones.</summary>
internal static class CompilerDiagnosticFilter
{
    /// <summary>Compiler diagnostics that say nothing about whether the test code is right; never compared unless expected.</summary>
    private static readonly ImmutableHashSet<string> s_noise = ImmutableHashSet.Create(
        "CS1591", // missing XML comment: test types are public, and DocumentationMode.Diagnose would report every one
        "CS8019", // unnecessary using directive: test sources share a using block with or without needing it
        "CS1701", // assembly version unification (the SDK silences it with NoWarn)
        "CS1702", // the same, for a different reference version
        "CS8933"); // a using directive duplicated by a global using

    public static bool IsCompared(Diagnostic diagnostic, CompilerDiagnostics level, ISet<string> expectedIds)
    {
        if (expectedIds.Contains(diagnostic.Id))
            return true; // an expected warning is compared even when only errors are compared by default
        if (s_noise.Contains(diagnostic.Id))
            return false;
        return level switch
        {
            CompilerDiagnostics.None => false,
            CompilerDiagnostics.Errors => diagnostic.Severity == DiagnosticSeverity.Error,
            CompilerDiagnostics.Warnings => diagnostic.Severity >= DiagnosticSeverity.Warning,
            CompilerDiagnostics.Suggestions => diagnostic.Severity >= DiagnosticSeverity.Info,
            _ => true,
        };
    }
}
