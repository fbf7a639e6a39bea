using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Entry point for rule tests with a fix: <c>using Verify = CSharpCodeFixVerifier&lt;MyAnalyzer, MyFixer&gt;;</c> then
/// <c>await Verify.VerifyCodeFixAsync(source, fixedSource)</c> or <c>new Verify.Test { … }.RunAsync()</c>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The analyzer's only diagnostic; throws when it supports several (use <see cref="Diagnostic(string)"/>).</summary>
    public static DiagnosticResult Diagnostic() => AnalyzerDescriptors<TAnalyzer>.Single();

    /// <summary>The analyzer's diagnostic with this ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => AnalyzerDescriptors<TAnalyzer>.ById(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAnalyzerAsync([StringSyntax("C#-test")] string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Diagnostics come from markup in <paramref name="source"/>; the fix must turn it into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, [StringSyntax("C#-test")] string fixedSource) =>
        VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource);

    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, DiagnosticResult expected, [StringSyntax("C#-test")] string fixedSource) =>
        VerifyCodeFixAsync(source, new[] { expected }, fixedSource);

    public static Task VerifyCodeFixAsync([StringSyntax("C#-test")] string source, DiagnosticResult[] expected, [StringSyntax("C#-test")] string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix>
    {
    }
}
