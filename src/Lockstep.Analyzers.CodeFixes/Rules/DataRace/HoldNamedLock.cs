using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1004/LS1005 repair: takes <c>lock (name)</c> around the statement holding the access, or turns an expression-bodied
/// member into a block that does, as the analyzer decided (<see cref="HoldLockShapes"/>).
/// </summary>
internal static class HoldNamedLock
{
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!FixProperties.LockName.TryGet(diagnostic, out var lockName) || !FixProperties.HoldLockFix.TryGet(diagnostic, out var fix))
            return Task.CompletedTask;

        if (fix == HoldLockFixKind.ExpressionBody && HoldLockShapes.ExpressionBodyOf(node) is { } arrow)
            LockWrapping.TryWrapExpressionBody(editor, arrow, lockName, cancellationToken);
        else if (fix == HoldLockFixKind.Statement && HoldLockShapes.Statement(node) is { } statement)
            LockWrapping.TryWrapWith(editor, statement, lockName);
        return Task.CompletedTask;
    }

    public static Task RegisterAsync(CodeFixContext context, string equivalenceKey)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FixProperties.HoldLockFix.IsSet(diagnostic) && FixProperties.LockName.TryGet(diagnostic, out var lockName))
                EditorFixAllProvider.Register(context, diagnostic, $"Hold '{lockName}' here", equivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
