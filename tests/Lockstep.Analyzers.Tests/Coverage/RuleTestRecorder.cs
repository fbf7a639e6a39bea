using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Analyzers.Tests.Coverage;

/// <summary>
/// One verification a rule test asked for: the rule's analyzer and the project it would have checked;
/// <see cref="AssertsNoFix"/> when its fixed code is its test code, that is, it asserts that no fix is offered.
/// </summary>
internal sealed record RecordedRuleTest(
    Type Analyzer,
    ImmutableArray<(string Name, string Text)> Sources,
    ImmutableArray<(string Name, string Text)> AnalyzerConfigFiles,
    bool ReferenceRuntimeLibrary,
    LanguageVersion LanguageVersion,
    OutputKind OutputKind,
    bool AssertsNoFix);

/// <summary>
/// Lets the fix-coverage measurement collect what the rule tests verify without verifying it: while a recorder is
/// installed on the current async flow, <c>CSharpCodeFixVerifier.Test</c> hands it its project and returns. Tests
/// running at the same time on other flows see no recorder and verify as usual.
/// </summary>
internal static class RuleTestRecorder
{
    private static readonly AsyncLocal<List<RecordedRuleTest>?> s_current = new();

    public static List<RecordedRuleTest>? Current => s_current.Value;

    /// <summary>Installs a recorder for the rest of the calling flow and returns the list it fills.</summary>
    public static List<RecordedRuleTest> Install()
    {
        var list = new List<RecordedRuleTest>();
        s_current.Value = list;
        return list;
    }
}
