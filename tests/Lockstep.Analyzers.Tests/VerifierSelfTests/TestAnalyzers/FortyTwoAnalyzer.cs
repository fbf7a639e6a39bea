using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST001 on every <c>int</c> literal 42, naming the enclosing member; a well-behaved analyzer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class FortyTwoAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.FortyTwo);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.NumericLiteralExpression);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var literal = (LiteralExpressionSyntax)context.Node;
        if (literal.Token.Value is not 42)
            return;
        var member = context.ContainingSymbol?.Name ?? "?";
        context.ReportDiagnostic(Diagnostic.Create(TestDescriptors.FortyTwo, literal.GetLocation(), literal.Token.Text, member));
    }
}
