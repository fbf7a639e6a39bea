using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>TST301 on every class, but only where .editorconfig sets <c>tst.report_classes</c>: proves options reach analyzers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EditorConfigAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(TestDescriptors.Configured);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(
            c =>
            {
                var options = c.Options.AnalyzerConfigOptionsProvider.GetOptions(c.Node.SyntaxTree);
                if (!options.TryGetValue("tst.report_classes", out var value))
                    return;
                var identifier = ((ClassDeclarationSyntax)c.Node).Identifier;
                c.ReportDiagnostic(Diagnostic.Create(TestDescriptors.Configured, identifier.GetLocation(), identifier.ValueText, value));
            },
            SyntaxKind.ClassDeclaration);
    }
}
