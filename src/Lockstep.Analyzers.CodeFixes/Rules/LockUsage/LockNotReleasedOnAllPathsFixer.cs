using Lockstep.Analyzers.Catalogue;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5001: a <c>Monitor.Enter(x)</c> … <c>Monitor.Exit(x)</c> pair becomes <c>lock (x) { … }</c>; any other acquisition
/// followed by its single release in the same block gets the code between wrapped in <c>try { … } finally { release }</c>
/// (an acquisition through a <c>ref taken</c> flag moves into the <c>try</c> and the release runs only <c>if (taken)</c>);
/// a finally that releases unconditionally after <c>Enter(ref taken)</c> releases only <c>if (taken)</c>. Not offered
/// where the method never releases the lock, or releases it only on some paths on purpose: the analyzer leaves the fix
/// kind out there.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockNotReleasedOnAllPathsFixer))]
public sealed class LockNotReleasedOnAllPathsFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS5001.ReleaseOnEveryPath";

    /// <summary>The alternative action: the whole semaphore becomes an AsyncLock, every pair a using scope.</summary>
    public const string AsyncLockEquivalenceKey = "LS5001.UseAsyncLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockNotReleasedOnAllPaths);

    public override FixAllProvider GetFixAllProvider() =>
        EditorFixAllProvider.Create(ApplyPreferredAsync, ImmutableDictionary<string, EditorFixAllProvider.ApplyFix>.Empty.Add(AsyncLockEquivalenceKey, AsyncLockConversion.ApplyAsync));

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            bool hasRelease = FixProperties.ReleaseFix.TryGet(diagnostic, out var fix);
            bool hasAsyncLock = FixProperties.AsyncLockField.TryGet(diagnostic, out var field);
            string asyncLockTitle = $"Make '{field}' an AsyncLock";

            // The first action carries the default key whichever repair it is, so Fix All is the same from any diagnostic.
            if (hasRelease)
            {
                string title = fix switch
                {
                    ReleaseFixKind.LockStatement => "Use a lock statement",
                    ReleaseFixKind.ReleaseOnlyIfTaken => "Release only if the lock was taken",
                    ReleaseFixKind.UsingScope => "Hold the scope in a using statement",
                    _ => "Release in a finally block",
                };
                EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, ApplyPreferredAsync);
                if (hasAsyncLock)
                    EditorFixAllProvider.Register(context, diagnostic, asyncLockTitle, AsyncLockEquivalenceKey, AsyncLockConversion.ApplyAsync);
            }
            else if (hasAsyncLock)
            {
                EditorFixAllProvider.Register(context, diagnostic, asyncLockTitle, EquivalenceKey, ApplyPreferredAsync);
            }
        }

        return Task.CompletedTask;
    }

    private static Task ApplyPreferredAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!FixProperties.ReleaseFix.TryGet(diagnostic, out var fix))
            return FixProperties.AsyncLockField.IsSet(diagnostic) ? AsyncLockConversion.ApplyAsync(editor, diagnostic, node, cancellationToken) : Task.CompletedTask;

        var locks = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Locks;
        if (fix == ReleaseFixKind.UsingScope)
            return Task.FromResult(TryHoldInUsing(editor, node, locks, cancellationToken));

        if (editor.SemanticModel.GetOperation(node, cancellationToken) is not IInvocationOperation acquisition
            || !LockRelease.IsAcquisition(acquisition, locks, out var call, out var identity))
        {
            return Task.CompletedTask;
        }

        if (fix == ReleaseFixKind.ReleaseOnlyIfTaken)
        {
            ReleaseOnlyIfTaken(editor, call, identity, locks, cancellationToken);
            return Task.CompletedTask;
        }

        if (LockRelease.AcquiringStatement(acquisition, locks)?.Syntax is not StatementSyntax { Parent: BlockSyntax block } acquireStatement)
            return Task.CompletedTask;

        var statements = block.Statements;
        int from = statements.IndexOf(acquireStatement);
        int to = -1;
        for (int i = from + 1; i < statements.Count; i++)
        {
            if (editor.SemanticModel.GetOperation(statements[i], cancellationToken) is { } operation && LockRelease.IsReleaseOf(operation, identity, locks))
            {
                to = i;
                break;
            }
        }

        if (to < 0 || !LockWrapping.MarkReplaced(editor, acquireStatement))
            return Task.CompletedTask;

        var protectedStatements = statements.Skip(from + 1).Take(to - from - 1).ToList();
        var releaseStatement = statements[to];

        if (fix == ReleaseFixKind.LockStatement && node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } enter)
        {
            var lockStatement = LockStatement(enter.ArgumentList.Arguments[0].Expression.WithoutTrivia(), Block(protectedStatements))
                .WithLeadingTrivia(acquireStatement.GetLeadingTrivia())
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(acquireStatement, lockStatement);
        }
        else if (call.TakenFlag is ILocalSymbol flag)
        {
            // bool taken = false; spin.Enter(ref taken); … spin.Exit();  →  try { spin.Enter(ref taken); … } finally { if (taken) spin.Exit(); }
            var guarded = IfStatement(IdentifierName(flag.Name), releaseStatement.WithoutTrivia());
            var tryStatement = TryStatement(Block(protectedStatements.Prepend(acquireStatement.WithoutLeadingTrivia())), default, FinallyClause(Block(guarded)))
                .WithLeadingTrivia(acquireStatement.GetLeadingTrivia())
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(acquireStatement, tryStatement);
        }
        else
        {
            var tryStatement = TryStatement(Block(protectedStatements), default, FinallyClause(Block(releaseStatement.WithoutLeadingTrivia())))
                .WithTrailingTrivia(releaseStatement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(acquireStatement, tryStatement);
        }

        foreach (var statement in protectedStatements)
            editor.RemoveNode(statement);
        editor.RemoveNode(releaseStatement);
        return Task.CompletedTask;
    }

    /// <summary><c>finally { Monitor.Exit(o); }</c> → <c>finally { if (taken) Monitor.Exit(o); }</c>.</summary>
    private static void ReleaseOnlyIfTaken(DocumentEditor editor, LockCall call, Model.LockIdentity identity, LockCatalogue locks, CancellationToken cancellationToken)
    {
        if (call.TakenFlag is not ILocalSymbol flag
            || call.Invocation.Syntax.FirstAncestorOrSelf<TryStatementSyntax>() is not { Finally: { } finallyClause }
            || !LockWrapping.MarkReplaced(editor, finallyClause))
        {
            return;
        }

        foreach (var statement in finallyClause.Block.Statements)
        {
            if (editor.SemanticModel.GetOperation(statement, cancellationToken) is { } operation && LockRelease.IsReleaseOf(operation, identity, locks))
            {
                editor.ReplaceNode(statement, IfStatement(IdentifierName(flag.Name), statement.WithoutTrivia()).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
                return;
            }
        }
    }

    /// <summary><c>var s = x.Lock(); body; s.Dispose();</c> → <c>using (var s = x.Lock()) { body }</c>.</summary>
    private static bool TryHoldInUsing(DocumentEditor editor, SyntaxNode node, LockCatalogue locks, CancellationToken cancellationToken)
    {
        if (editor.SemanticModel.GetOperation(node, cancellationToken) is not IInvocationOperation scope
            || LockRelease.ScopeUsingShape(scope, locks) is not var (declaration, dispose)
            || declaration.Parent is not BlockSyntax block)
        {
            return false;
        }

        int from = block.Statements.IndexOf(declaration);
        int to = block.Statements.IndexOf(dispose);
        var body = block.Statements.Skip(from + 1).Take(to - from - 1).ToArray();
        if (!LockWrapping.MarkAllReplaced(editor, block.Statements.Skip(from).Take(to - from + 1).ToArray()))
            return false;
        var usingStatement = UsingStatement(declaration.Declaration.WithoutTrivia(), null, Block(body))
            .WithTriviaFrom(declaration)
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.ReplaceNode(declaration, usingStatement);
        foreach (var statement in body)
            editor.RemoveNode(statement);
        editor.RemoveNode(dispose);
        return true;
    }
}
