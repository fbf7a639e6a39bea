using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST401 on every word "banned" in AdditionalFiles, located in the additional file itself.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class AdditionalFileAnalyzer : DiagnosticAnalyzer
{
    private const string Word = "banned";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.BannedWord);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationAction(c =>
        {
            foreach (var file in c.Options.AdditionalFiles)
            {
                var text = file.GetText(c.CancellationToken);
                if (text is null)
                    continue;
                var content = text.ToString();
                for (var at = content.IndexOf(Word, System.StringComparison.Ordinal); at >= 0; at = content.IndexOf(Word, at + 1, System.StringComparison.Ordinal))
                {
                    var span = new TextSpan(at, Word.Length);
                    c.ReportDiagnostic(Diagnostic.Create(TestDescriptors.BannedWord, Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span)), Word));
                }
            }
        });
    }
}
