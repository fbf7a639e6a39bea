using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST701 on a method's name, with each parameter's name as an additional location.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class AdditionalLocationsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.MethodWithParameters);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var method = (MethodDeclarationSyntax)c.Node;
                if (method.ParameterList.Parameters.Count == 0)
                    return;
                c.ReportDiagnostic(Diagnostic.Create(
                    TestDescriptors.MethodWithParameters,
                    method.Identifier.GetLocation(),
                    method.ParameterList.Parameters.Select(p => p.Identifier.GetLocation()),
                    method.Identifier.ValueText));
            },
            SyntaxKind.MethodDeclaration);
    }
}
