using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3003: when the blocking callee has an awaitable twin (<c>Pause</c> / <c>PauseAsync</c>), calls and awaits the twin,
/// passing the cancellation token in scope when the twin takes one. Without a twin, the call runs on a pool thread that
/// the async code awaits, where the analyzer found that safe (nothing the call reaches uses state without
/// synchronisation; see Offloading). An implicit conversion that blocks gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallChainInAsyncCodeFixer))]
public sealed class BlockingCallChainInAsyncCodeFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS3003.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingCallChainInAsyncCode);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FixProperties.AsyncCounterpart.TryGet(diagnostic, out var counterpart))
                EditorFixAllProvider.Register(context, diagnostic, $"Await '{counterpart}' instead", EquivalenceKey, ApplyAsync);
            else if (AwaitFixes.TryGetFixKind(diagnostic, out var fix))
                EditorFixAllProvider.Register(context, diagnostic, AwaitFixes.Title(fix, "the call"), EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        FixProperties.AsyncCounterpart.TryGet(diagnostic, out var counterpart)
            ? AsyncCounterpartRewriter.ApplyAsync(editor, node, counterpart, cancellationToken)
            : AwaitFixes.ApplyAsync(editor, diagnostic, node, cancellationToken);
}
