using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>Reads the repair an LS1001–LS1003 diagnostic asks for and applies it, falling back to a lock.</summary>
internal static class RaceFixes
{
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        TryApply(editor, diagnostic, node, cancellationToken);
        return Task.CompletedTask;
    }

    public static bool TryApply(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.RaceFix, out var fix);
        bool applied = fix switch
        {
            "Interlocked" => RaceRepairs.TryUseInterlocked(editor, node),
            "LazyInitializer" => RaceRepairs.TryUseLazyInitializer(editor, node),
            "ConcurrentCollection" => ConcurrentCollectionRepair.TryReplace(editor, node, cancellationToken),
            _ => false,
        };

        return applied || RaceRepairs.TryLock(editor, node, RegionStart(diagnostic), cancellationToken);
    }

    /// <summary>The title of the action the diagnostic gets, or <see langword="null"/> when no repair applies.</summary>
    public static async Task<string?> TitleAsync(CodeFixContext context, Diagnostic diagnostic)
    {
        var editor = await DocumentEditor.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
        var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.RaceFix, out var fix);

        // Try the preferred repair on a scratch editor; whatever it would do decides the title.
        string? title = fix switch
        {
            "Interlocked" when RaceRepairs.TryUseInterlocked(editor, node) => "Use Interlocked",
            "LazyInitializer" when RaceRepairs.TryUseLazyInitializer(editor, node) => "Use LazyInitializer.EnsureInitialized",
            "ConcurrentCollection" when ConcurrentCollectionRepair.TryReplace(editor, node, context.CancellationToken) => "Use a concurrent collection",
            _ => null,
        };

        if (title is not null)
            return title;

        var lockEditor = await DocumentEditor.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
        return RaceRepairs.TryLock(lockEditor, node, RegionStart(diagnostic), context.CancellationToken) ? "Hold a lock around the whole sequence" : null;
    }

    private static int? RegionStart(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.RegionStart, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            ? start
            : null;

    public static async Task RegisterAsync(CodeFixContext context, string equivalenceKey)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await TitleAsync(context, diagnostic).ConfigureAwait(false) is { } title)
                EditorFixAllProvider.Register(context, diagnostic, title, equivalenceKey, ApplyAsync);
        }
    }
}
