using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST501 on every class, disabled by default: the verifier must turn it on.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OffByDefaultAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.OffByDefault);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var identifier = ((ClassDeclarationSyntax)c.Node).Identifier;
                c.ReportDiagnostic(Diagnostic.Create(TestDescriptors.OffByDefault, identifier.GetLocation(), identifier.ValueText));
            },
            SyntaxKind.ClassDeclaration);
    }
}
