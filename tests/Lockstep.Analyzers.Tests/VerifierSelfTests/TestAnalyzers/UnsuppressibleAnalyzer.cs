using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST202 on 42 with a NotConfigurable descriptor, so '#pragma warning disable' cannot silence it: the suppression check must catch it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class UnsuppressibleAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.Unsuppressible);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                if (((LiteralExpressionSyntax)c.Node).Token.Value is 42)
                    c.ReportDiagnostic(Diagnostic.Create(TestDescriptors.Unsuppressible, c.Node.GetLocation()));
            },
            SyntaxKind.NumericLiteralExpression);
    }
}
