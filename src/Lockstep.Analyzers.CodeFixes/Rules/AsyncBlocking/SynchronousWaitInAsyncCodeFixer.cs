using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3002: <c>t.Wait()</c> → <c>await t</c>, <c>t.Result</c> and <c>GetAwaiter().GetResult()</c> → <c>(await t)</c>,
/// <c>sem.Wait(…)</c> → <c>await sem.WaitAsync(…)</c>, <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>,
/// <c>reader.ReadToEnd()</c> → <c>await reader.ReadToEndAsync()</c>. Waits with no awaitable equivalent of the same
/// meaning (events, <c>Thread.Join</c>, timeouts, a token) run on a pool thread that the async code awaits, which keeps
/// their exact results and exceptions. Not offered for primitives owned by the thread that takes them (a Mutex, a
/// Monitor, so not for <c>Monitor.Wait</c>): the async code's thread would not own it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SynchronousWaitInAsyncCodeFixer))]
public sealed class SynchronousWaitInAsyncCodeFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS3002.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.SynchronousWaitInAsyncCode);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(AwaitFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (AwaitFixes.TryGetFixKind(diagnostic, out var fix))
                EditorFixAllProvider.Register(context, diagnostic, AwaitFixes.Title(fix, "the wait"), EquivalenceKey, AwaitFixes.ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
