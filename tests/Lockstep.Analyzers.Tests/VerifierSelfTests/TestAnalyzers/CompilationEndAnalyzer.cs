using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST601 once per compilation, without a location: the shape of whole-program rules.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class CompilationEndAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.ClassCount);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var count = new StrongBox();
            start.RegisterSymbolAction(_ => Interlocked.Increment(ref count.Value), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => end.ReportDiagnostic(Diagnostic.Create(TestDescriptors.ClassCount, Location.None, count.Value)));
        });
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
