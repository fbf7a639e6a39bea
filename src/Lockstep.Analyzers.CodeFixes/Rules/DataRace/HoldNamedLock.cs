using Lockstep.Analyzers.Catalogue;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1004/LS1005 repair: wrap the statement holding the access in <c>lock (name)</c>, when the named member is an
/// object a <c>lock</c> statement can use (not a semaphore, mutex or reader-writer lock, which are acquired differently).
/// </summary>
internal static class HoldNamedLock
{
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        TryApply(editor, diagnostic, node, cancellationToken);
        return Task.CompletedTask;
    }

    public static bool TryApply(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.LockName, out var lockName) || lockName is null
            || node.FirstAncestorOrSelf<StatementSyntax>() is not { } statement
            || !IsMonitorLock(editor.SemanticModel, node, lockName, cancellationToken))
        {
            return false;
        }

        return LockWrapping.TryWrapWith(editor, statement, lockName);
    }

    public static async Task RegisterAsync(CodeFixContext context, string equivalenceKey)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var editor = await DocumentEditor.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (TryApply(editor, diagnostic, node, context.CancellationToken))
                EditorFixAllProvider.Register(context, diagnostic, $"Hold '{diagnostic.Properties[DiagnosticPropertyKeys.LockName]}' here", equivalenceKey, ApplyAsync);
        }
    }

    private static bool IsMonitorLock(SemanticModel model, SyntaxNode node, string lockName, CancellationToken cancellationToken)
    {
        if (lockName == "this")
            return true;

        var type = model.GetEnclosingSymbol(node.SpanStart, cancellationToken)?.ContainingType;
        var member = type?.GetMembers(lockName).FirstOrDefault();
        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        // A semaphore, mutex or reader/writer lock has its own acquire and release: a lock statement on it would bypass them.
        return memberType is { IsReferenceType: true } && !ConcurrencyCatalogue.For(model.Compilation).Locks.IsWaitBasedPrimitive(memberType);
    }
}
