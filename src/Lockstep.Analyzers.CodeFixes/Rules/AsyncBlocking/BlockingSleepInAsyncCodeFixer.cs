using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3001: replaces <c>Thread.Sleep(x)</c> with <c>await Task.Delay(x)</c>, passing the cancellation token in scope; a
/// busy wait (<c>SpinWait.SpinUntil</c>), whose condition has no awaitable form, runs on a pool thread that the async
/// code awaits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingSleepInAsyncCodeFixer))]
public sealed class BlockingSleepInAsyncCodeFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS3001.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingSleepInAsyncCode);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(AwaitFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            // No fix kind where an await cannot be written (unsafe code, a catch filter, a query clause).
            if (AwaitFixes.TryGetFixKind(diagnostic, out var fix))
                EditorFixAllProvider.Register(context, diagnostic, AwaitFixes.Title(fix, "SpinWait.SpinUntil"), EquivalenceKey, AwaitFixes.ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
