using Lockstep.Analyzers.Catalogue;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5001: a <c>Monitor.Enter(x)</c> … <c>Monitor.Exit(x)</c> pair becomes <c>lock (x) { … }</c>; any other acquisition
/// followed by its single release in the same block gets the code between wrapped in <c>try { … } finally { release }</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockNotReleasedOnAllPathsFixer))]
public sealed class LockNotReleasedOnAllPathsFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS5001.ReleaseInFinally";

    /// <summary>The second action: the whole semaphore becomes an AsyncLock, every pair a using scope.</summary>
    public const string AsyncLockEquivalenceKey = "LS5001.UseAsyncLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockNotReleasedOnAllPaths);

    public override FixAllProvider GetFixAllProvider() =>
        EditorFixAllProvider.Create(key => key == AsyncLockEquivalenceKey ? AsyncLockConversion.ApplyAsync : ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.ReleaseFix, out var fix))
            {
                string title = fix == "LockStatement" ? "Use a lock statement" : "Release in a finally block";
                EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, ApplyAsync);
            }

            if (diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.AsyncLockField, out var field))
                EditorFixAllProvider.Register(context, diagnostic, $"Make '{field}' an AsyncLock", AsyncLockEquivalenceKey, AsyncLockConversion.ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.ReleaseFix, out var fix)
            || editor.SemanticModel.GetOperation(node, cancellationToken) is not IInvocationOperation acquisition
            || !LockRelease.IsAcquisition(acquisition, ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Locks, out _, out var identity)
            || node.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { Parent: BlockSyntax block } acquireStatement)
        {
            return Task.CompletedTask;
        }

        var statements = block.Statements;
        int from = statements.IndexOf(acquireStatement);
        int to = -1;
        for (int i = from + 1; i < statements.Count; i++)
        {
            if (editor.SemanticModel.GetOperation(statements[i], cancellationToken) is { } operation && LockRelease.IsReleaseOf(operation, identity, ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Locks))
            {
                to = i;
                break;
            }
        }

        if (to < 0 || !LockWrapping.MarkReplaced(editor, acquireStatement))
            return Task.CompletedTask;

        var protectedStatements = statements.Skip(from + 1).Take(to - from - 1).ToList();
        var releaseStatement = statements[to];
        var body = Block(protectedStatements);

        if (fix == "LockStatement" && node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } enter)
        {
            var lockStatement = LockStatement(enter.ArgumentList.Arguments[0].Expression.WithoutTrivia(), body)
                .WithLeadingTrivia(acquireStatement.GetLeadingTrivia())
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(acquireStatement, lockStatement);
        }
        else
        {
            var tryStatement = TryStatement(body, default, FinallyClause(Block(releaseStatement.WithoutLeadingTrivia())))
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(acquireStatement, tryStatement);
        }

        foreach (var statement in protectedStatements)
            editor.RemoveNode(statement);
        editor.RemoveNode(releaseStatement);
        return Task.CompletedTask;
    }
}
