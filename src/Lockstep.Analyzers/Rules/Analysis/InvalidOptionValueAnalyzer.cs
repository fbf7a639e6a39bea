using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Analysis;

/// <summary>
/// LS0002: a <c>lockstep.*</c> option in .editorconfig or a global config that Lockstep does not know, or whose value it
/// cannot read. The readers fall back to the default without a word, so a typo would silently configure nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
[NoCodeFix("The intended value cannot be guessed; the message lists the accepted ones.")]
public sealed class InvalidOptionValueAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.InvalidOptionValue);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        // Options apply per file, but a problem is the same problem in every file: once per compilation, at its end.
        context.RegisterCompilationAction(static compilation => Analyze(compilation));
    }

    private static void Analyze(CompilationAnalysisContext context)
    {
        var provider = context.Options.AnalyzerConfigOptionsProvider;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        Check(context, provider.GlobalOptions, reported);
        foreach (var tree in context.Compilation.SyntaxTrees)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            Check(context, provider.GetOptions(tree), reported);
        }
    }

    private static void Check(CompilationAnalysisContext context, AnalyzerConfigOptions options, HashSet<string> reported)
    {
        foreach (var key in options.Keys)
        {
            if (!key.StartsWith(LockstepOptions.KeyPrefix, StringComparison.OrdinalIgnoreCase) || !options.TryGetValue(key, out var value))
                continue;

            if (LockstepOptions.ValueProblem(key, value) is not { } problem || !reported.Add(problem.Problem))
                continue;

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidOptionValue, Location.None, problem.Problem, problem.Accepted));
        }
    }
}
