using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Lockstep.Analyzers.Internal;

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

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Suggestion(diagnostic) is { } suggestion)
                EditorFixAllProvider.Register(context, diagnostic, $"Use nameof({suggestion})", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static string? Suggestion(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.SuggestedLockName, out var suggestion) ? suggestion : null;

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        // The argument that spells the name: a string literal, or a nameof of something that is not a lock here.
        if (Suggestion(diagnostic) is { } name && node is LiteralExpressionSyntax or InvocationExpressionSyntax)
            editor.ReplaceNode(node, SyntaxFactory.ParseExpression("nameof(" + name + ")").WithTriviaFrom(node));
        return Task.CompletedTask;
    }
}
