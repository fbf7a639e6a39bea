using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Compiles a test project and runs the analyzers under test on it, the way a build does.</summary>
internal static class AnalyzerRunner
{
    /// <summary>The ID Roslyn gives the diagnostic that reports an analyzer exception.</summary>
    private const string AnalyzerExceptionId = "AD0001";

    public static async Task<AnalysisResult> RunAsync(
        Project project,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        string phase,
        CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new VerifierException($"{phase}: the project produced no compilation.");

        var exceptions = new ConcurrentQueue<(Exception Exception, DiagnosticAnalyzer Analyzer)>();
        var options = new CompilationWithAnalyzersOptions(
            // Carries the AdditionalFiles and the options read from the project's .editorconfig documents.
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue((exception, analyzer)),
            concurrentAnalysis: true, // as in a build: shakes out analyzers that are not thread-safe
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var analyzerDiagnostics = await compilation.WithAnalyzers(analyzers, options)
            .GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

        var reported = analyzerDiagnostics.Where(d => d.Id == AnalyzerExceptionId).ToList();
        if (!exceptions.IsEmpty || reported.Count > 0)
        {
            // The stack trace is the whole point: without it an AD0001 only says "something threw".
            var details = exceptions.Select(e => $"{e.Analyzer.GetType().FullName} threw:\n{e.Exception}")
                .Concat(reported.Select(d => d.GetMessage()))
                .Distinct()
                .ToList();
            throw new VerifierException($"{phase}: an analyzer threw an exception (AD0001).\n\n{string.Join("\n\n", details)}");
        }

        return new AnalysisResult(
            project,
            DiagnosticOrder.Sort(compilation.GetDiagnostics(cancellationToken)).ToImmutableArray(),
            DiagnosticOrder.Sort(analyzerDiagnostics).ToImmutableArray());
    }
}
