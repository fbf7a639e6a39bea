using Lockstep.Analyzers.Catalogue;
using System;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>Reads the fix kind an LS3001/LS3002 analyzer stored on the diagnostic and applies the matching rewrite.</summary>
internal static class AwaitFixes
{
    public static bool TryGetFixKind(Diagnostic diagnostic, out AwaitFixKind fix)
    {
        fix = AwaitFixKind.None;
        return diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.AwaitFix, out var name)
            && Enum.TryParse(name, out fix)
            && fix != AwaitFixKind.None;
    }

    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        TryGetFixKind(diagnostic, out var fix)
            ? AwaitRewriter.ApplyAsync(editor, node, fix, cancellationToken)
            : Task.CompletedTask;
}
