using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST101 on classes and TST102 on methods whose name starts with "Bad": two descriptors, so no default diagnostic.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class TwoDescriptorAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(TestDescriptors.BadClass, TestDescriptors.BadMethod);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(AnalyzeClass, SyntaxKind.ClassDeclaration);
        context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
    }

    private static void AnalyzeClass(SyntaxNodeAnalysisContext context)
    {
        var identifier = ((ClassDeclarationSyntax)context.Node).Identifier;
        if (identifier.ValueText.StartsWith("Bad", System.StringComparison.Ordinal))
            context.ReportDiagnostic(Diagnostic.Create(TestDescriptors.BadClass, identifier.GetLocation(), identifier.ValueText));
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
    {
        var identifier = ((MethodDeclarationSyntax)context.Node).Identifier;
        if (identifier.ValueText.StartsWith("Bad", System.StringComparison.Ordinal))
            context.ReportDiagnostic(Diagnostic.Create(TestDescriptors.BadMethod, identifier.GetLocation(), identifier.ValueText));
    }
}
