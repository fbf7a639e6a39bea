using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>LS2003: every place that takes the locks against their declared order trades places with its nested acquisition.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOrderContradictsDeclaredOrderFixer))]
public sealed class LockOrderContradictsDeclaredOrderFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS2003.Reorder";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockOrderContradictsDeclaredOrder);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FixProperties.LockOrderFix.TryGet(diagnostic, out var fix) && FixProperties.LockOrderFixPairs.IsSet(diagnostic))
                EditorFixAllProvider.Register(context, diagnostic, LockOrderRewrites.Title(fix), EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic);
}
