using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Rules.Usage;

/// <summary>
/// LS9001: replaces the unknown lock name with <c>nameof(&lt;closest lock member&gt;)</c> when the analyzer found exactly one
/// field or property of the type whose name is close; nameof then keeps the contract right through renames.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnknownLockNameFixer))]
public sealed class UnknownLockNameFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS9001.UseNameofOfClosestLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnknownLockName);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
            return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.SuggestedLockName, out var suggestion) || suggestion is null)
                continue;
            // The argument that spells the name: a string literal, or a nameof of something that is not a lock here.
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax literal || literal is not (LiteralExpressionSyntax or InvocationExpressionSyntax))
                continue;

            context.RegisterCodeFix(
                CodeAction.Create($"Use nameof({suggestion})", ct => ReplaceAsync(context.Document, literal, suggestion, ct), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax literal, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxFactory.ParseExpression("nameof(" + name + ")").WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root!.ReplaceNode(literal, replacement));
    }
}
