using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>Applies the repair an LS1001–LS1003 diagnostic names (the analyzer chose it with <see cref="RaceFixShapes"/>).</summary>
internal static class RaceFixes
{
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!FixProperties.RaceFix.TryGet(diagnostic, out var fix))
            return Task.CompletedTask;

        int? regionStart = FixProperties.RegionStart.TryGet(diagnostic, out int start) ? start : null;
        _ = fix switch
        {
            RaceFixKind.Interlocked => RaceRepairs.TryUseInterlocked(editor, node),
            RaceFixKind.LazyInitializer => RaceRepairs.TryUseLazyInitializer(editor, node),
            RaceFixKind.ConcurrentCollection => ConcurrentCollectionRepair.TryReplace(editor, node, cancellationToken),
            RaceFixKind.ReadOnce => ReadOnceRepair.TryApply(editor, node, cancellationToken),
            _ => RaceRepairs.TryLock(editor, node, regionStart, cancellationToken),
        };
        return Task.CompletedTask;
    }

    public static string Title(RaceFixKind fix) => fix switch
    {
        RaceFixKind.Interlocked => "Use Interlocked",
        RaceFixKind.LazyInitializer => "Use LazyInitializer.EnsureInitialized",
        RaceFixKind.ConcurrentCollection => "Use a concurrent collection",
        RaceFixKind.ReadOnce => "Read the field once into a local",
        _ => "Hold a lock around the whole sequence",
    };

    public static Task RegisterAsync(CodeFixContext context, string equivalenceKey)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FixProperties.RaceFix.TryGet(diagnostic, out var fix))
                EditorFixAllProvider.Register(context, diagnostic, Title(fix), equivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
