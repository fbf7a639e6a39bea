using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3002: <c>Wait()</c>, <c>.Result</c>, <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>,
/// <c>SemaphoreSlim.Wait</c>, <c>ManualResetEventSlim.Wait</c>, <c>Thread.Join</c>, <c>Monitor.Wait</c>, synchronous
/// stream and reader reads, and other synchronous waits in async code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SynchronousWaitInAsyncCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SynchronousWaitInAsyncCode);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (!catalogue.HasThreadsOrTasks)
                return;

            start.RegisterOperationAction(c => Analyze(c, catalogue), OperationKind.Invocation, OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ConcurrencyCatalogue catalogue)
    {
        var operation = context.Operation;
        bool classified = catalogue.Blocking.TryClassify(operation, out var call)
            || catalogue.Blocking.TryClassifyInAsyncCode(operation, out call);
        if (!classified || call.Kind != BlockingKind.Wait)
            return;

        // Monitor.Wait is called inside its lock body and releases that lock while it waits: LS5002 does not report it,
        // so a lock body is no reason to stay silent here.
        if (!AsyncContext.TryFind(operation, context.ContainingSymbol, out var asyncContext, throughLocks: call.ReleasesItsLock))
            return;

        // Reading the result of a task that has already completed returns at once; it is not a wait.
        if (TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, asyncContext.Body, catalogue))
            return;

        // The synchronous half of a method that serves sync and async callers (the other half awaits) runs for sync
        // callers, who chose to block: not reported, on purpose.
        if (asyncContext.BranchOf(operation, catalogue).IsSyncHalfOfDualMode)
            return;

        context.ReportDiagnostic(AsyncBlockingDiagnostics.Create(Descriptors.SynchronousWaitInAsyncCode, operation, call, catalogue, call.DisplayName, asyncContext.Description, call.Advice));
    }
}
