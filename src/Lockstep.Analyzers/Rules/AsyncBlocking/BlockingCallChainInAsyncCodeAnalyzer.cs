using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3003: async code calls a synchronous method of the compilation that sleeps or waits, directly or through any
/// depth of further synchronous calls. The message names the chain, e.g. <c>Pause → Thread.Sleep</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallChainInAsyncCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BlockingCallChainInAsyncCode, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ConcurrencyCatalogue.For(start.Compilation).HasThreadsOrTasks)
                return;

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationAction(c => Analyze(c, summaries), CallTargets.CallingKinds);
        });
    }

    private static void Analyze(OperationAnalysisContext context, MethodSummaries summaries)
    {
        var operation = context.Operation;
        if (CallTargets.GetInvokedMethod(operation) is not { } invoked)
            return;

        if (!AsyncContext.TryFind(operation, context.ContainingSymbol, out var asyncContext))
            return;

        // Not reported, on purpose: a call in the synchronous half of a method that serves sync and async callers (the
        // other half awaits; sync callers chose to block), and a call on the way to a throw (it runs only once something
        // has failed, to clean up).
        var branch = asyncContext.BranchOf(operation, summaries.Index.Catalogue);
        if (branch.IsSyncHalfOfDualMode || branch.IsErrorPath)
            return;

        foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, context.CancellationToken))
        {
            // Recursion into the async function itself is not a blocking call; the callee must be a synchronous method.
            if (SymbolEqualityComparer.Default.Equals(callee, asyncContext.Function))
                continue;

            var reach = summaries.Blocking(operation, callee, context.CancellationToken);
            if (reach.Exhausted)
                BudgetNotes.Report(context, callee, operation.Syntax.GetLocation(), summaries.Index);

            ImmutableArray<IMethodSymbol> chain;
            string blocking;
            if (!reach.IsEmpty)
            {
                (chain, blocking) = (reach.Found[0].Value.Chain, reach.Found[0].Value.Fact.DisplayName);
            }
            else if (summaries.Reach(callee, summaries.LockReleasingWaits, context.CancellationToken) is { IsEmpty: false } waits)
            {
                // Monitor.Wait releases its lock, so the blocking walk (shared with LS5002) leaves it out; async code
                // that reaches it still parks its thread until a pulse.
                (chain, blocking) = (waits.Found[0].Value.Chain, waits.Found[0].Value.Fact);
            }
            else
            {
                continue;
            }

            var properties = FixProperties.None;
            if (operation.Kind == OperationKind.Invocation
                && summaries.Index.Catalogue.Blocking.FindAsyncCounterpart(invoked) is { } counterpart
                && AsyncContext.CanInsertAwait(operation.Syntax))
            {
                properties = FixProperties.AsyncCounterpart.Set(properties, counterpart.Name);
            }
            else if (CanOffload(operation, summaries, context.CancellationToken))
            {
                properties = FixProperties.AwaitFix.Set(properties, AwaitFixKind.Offload);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.BlockingCallChainInAsyncCode,
                operation.Syntax.GetLocation(),
                properties,
                CallTargets.DisplayName(invoked),
                asyncContext.Description,
                MethodSummaries.DescribeChain(chain, blocking)));
            return; // one report per call, through the first body that blocks
        }
    }

    /// <summary>
    /// Without an async counterpart, the call can run on a pool thread while the async code awaits it (see
    /// <see cref="Offloading"/>), provided nothing it reaches uses state without synchronisation: on a single-threaded
    /// context that state was only ever used from that one thread. An implicit conversion is not offered the fix: its
    /// operator would still run on the caller's thread, after the lambda returned the unconverted value.
    /// </summary>
    private static bool CanOffload(IOperation operation, MethodSummaries summaries, System.Threading.CancellationToken cancellationToken)
    {
        if (operation is Microsoft.CodeAnalysis.Operations.IConversionOperation || !Offloading.CanOffload(operation, summaries.Index.Catalogue))
            return false;

        foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, cancellationToken))
        {
            var reach = summaries.Reach(callee, Offloading.UnsynchronisedSharedAccess, cancellationToken);
            if (!reach.IsEmpty || reach.Exhausted)
                return false;
        }

        return true;
    }
}
