using Lockstep.Analyzers.Catalogue;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>LS3001: replaces <c>Thread.Sleep(x)</c> with <c>await Task.Delay(x)</c>, passing the cancellation token in scope.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingSleepInAsyncCodeFixer))]
public sealed class BlockingSleepInAsyncCodeFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS3001.AwaitTaskDelay";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingSleepInAsyncCode);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(AwaitFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            // SpinWait.SpinUntil has no fix kind: its condition has no mechanical awaitable form.
            if (AwaitFixes.TryGetFixKind(diagnostic, out _))
                EditorFixAllProvider.Register(context, diagnostic, "Await 'Task.Delay' instead", EquivalenceKey, AwaitFixes.ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
