using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Entry point for analyzer tests: <c>using Verify = CSharpAnalyzerVerifier&lt;MyAnalyzer&gt;;</c> then
/// <c>await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic().WithSpan(…))</c> or <c>new Verify.Test { … }.RunAsync()</c>.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
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

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer>
    {
    }
}
