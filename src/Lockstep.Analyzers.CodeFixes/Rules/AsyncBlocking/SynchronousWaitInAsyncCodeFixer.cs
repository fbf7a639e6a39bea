using Lockstep.Analyzers.Catalogue;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3002: <c>t.Wait()</c> → <c>await t</c>, <c>t.Result</c> and <c>GetAwaiter().GetResult()</c> → <c>(await t)</c>,
/// <c>sem.Wait(…)</c> → <c>await sem.WaitAsync(…)</c>, <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>,
/// <c>reader.ReadToEnd()</c> → <c>await reader.ReadToEndAsync()</c>. Waits with no awaitable equivalent (events,
/// Thread.Join, Monitor.Wait, timeouts on tasks) get no fix.
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
            if (!AwaitFixes.TryGetFixKind(diagnostic, out var fix))
                continue;

            string title = fix switch
            {
                AwaitFixKind.WaitAsync => "Await 'WaitAsync' instead",
                AwaitFixKind.WhenAll => "Await 'Task.WhenAll' instead",
                AwaitFixKind.WhenAny => "Await 'Task.WhenAny' instead",
                AwaitFixKind.AsyncCounterpart => "Await the asynchronous read instead",
                _ => "Await the task instead",
            };
            EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, AwaitFixes.ApplyAsync);
        }

        return Task.CompletedTask;
    }
}
