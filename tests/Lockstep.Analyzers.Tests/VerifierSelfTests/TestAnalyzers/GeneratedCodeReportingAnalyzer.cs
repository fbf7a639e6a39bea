using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST201 on 42, reported in generated code too: the generated-code check must catch it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class GeneratedCodeReportingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.FortyTwoEverywhere);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                if (((LiteralExpressionSyntax)c.Node).Token.Value is 42)
                    c.ReportDiagnostic(Diagnostic.Create(TestDescriptors.FortyTwoEverywhere, c.Node.GetLocation()));
            },
            SyntaxKind.NumericLiteralExpression);
    }
}
