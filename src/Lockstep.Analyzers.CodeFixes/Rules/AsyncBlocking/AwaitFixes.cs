using Lockstep.Analyzers.Catalogue;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>Reads the fix kind an LS3001–LS3003 analyzer stored on the diagnostic and applies the matching rewrite.</summary>
internal static class AwaitFixes
{
    public static bool TryGetFixKind(Diagnostic diagnostic, out AwaitFixKind fix) =>
        FixProperties.AwaitFix.TryGet(diagnostic, out fix) && fix != AwaitFixKind.None;

    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        TryGetFixKind(diagnostic, out var fix)
            ? AwaitRewriter.ApplyAsync(editor, node, fix, cancellationToken)
            : Task.CompletedTask;

    /// <summary>The action's title for each kind; <paramref name="blocking"/> names the call for the offloading one.</summary>
    public static string Title(AwaitFixKind fix, string blocking) => fix switch
    {
        AwaitFixKind.TaskDelay => "Await 'Task.Delay' instead",
        AwaitFixKind.WaitAsync => "Await 'WaitAsync' instead",
        AwaitFixKind.WhenAll => "Await 'Task.WhenAll' instead",
        AwaitFixKind.WhenAny => "Await 'Task.WhenAny' instead",
        AwaitFixKind.AsyncCounterpart => "Await the asynchronous read instead",
        AwaitFixKind.Offload => $"Run '{blocking}' on the thread pool and await it",
        _ => "Await the task instead",
    };
}
