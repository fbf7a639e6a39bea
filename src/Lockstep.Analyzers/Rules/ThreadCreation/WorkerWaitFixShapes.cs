using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Lockstep.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// Whether LS4002's fix keeps what the loop computes. Waiting in the iteration that starts a worker makes the workers run
/// one after another; the fix lets them overlap, which is the point, and must change nothing else:
/// <list type="bullet">
/// <item><description>the wait is the iteration's last statement, so nothing in the iteration relies on the worker having
/// finished (everything after the loop still does: the fix waits for all of them before it);</description></item>
/// <item><description>the worker, and what it calls, writes no shared state without a lock or an atomic operation: once
/// the workers overlap, such writes would race;</description></item>
/// <item><description>the rest of the loop writes nothing but its own locals (and calls nothing that writes shared state),
/// since it now runs while earlier workers are still running;</description></item>
/// <item><description>a local of the loop the worker captures and the loop changes (a <c>for</c> variable) is copied into a
/// local of the iteration first, so each worker still sees its own iteration's value; a worker that changes such a
/// local itself gets no fix.</description></item>
/// </list>
/// The workers are collected and waited for after the loop; in a loop whose count grows with the input, threads would
/// then all run at once (LS4001), so they become thread-pool work under a semaphore of one slot per processor instead,
/// all awaited where the loop ends.
/// </summary>
internal static class WorkerWaitFixShapes
{
    public static WorkerWaitFixKind? Choose(IInvocationOperation wait, ILoopOperation loop, ISymbol containingSymbol, MethodSummaries summaries, AnalyzerOptions options)
    {
        var catalogue = summaries.Index.Catalogue;
        if (WorkerLoops.CollectableWaitStatement(wait, loop) is not { } waitStatement
            || loop.Body is not IBlockOperation body
            || body.Operations[body.Operations.Length - 1] != waitStatement
            || Worker(wait, loop, catalogue) is not { } worker
            || worker.Work is not IDelegateCreationOperation { Target: var target }
            || WritesSharedState(target, summaries)
            || !OnlyLocalWritesOutside(loop, target, summaries)
            || CapturedLoopLocals(target, loop, out bool writtenByWorker) is null || writtenByWorker)
        {
            return null;
        }

        int max = LockstepOptions.ReadMaxThreadsPerLoop(options, wait.Syntax.SyntaxTree);
        bool startsThreads = catalogue.Starts.IsThreadCreation(worker.Creation) || worker.Creation is IInvocationOperation creationCall && catalogue.Starts.IsLongRunningStartNew(creationCall);
        if (!startsThreads || LoopBounds.IsBounded(loop, max, catalogue.Loops))
            return WorkerWaitFixKind.WaitAfterLoop;

        // Unbounded: all the threads at once would be LS4001's pitfall. A plain thread with a plain Join becomes pool work
        // (waited for where the loop ends, so not for a join that was conditional or had a timeout).
        return wait.Arguments.Length == 0 && waitStatement == wait.Parent
            && worker.Start is { } start
            && OperationTree.Unconverted(worker.Creation) is IObjectCreationOperation creation
            && ThreadCreationFixShapes.CanUseThreadPoolUnderSemaphore(start, creation, loop, OperationTree.FunctionRoot(wait), containingSymbol, summaries, wait)
                ? WorkerWaitFixKind.ThreadPoolUnderSemaphore
                : null;
    }

    /// <summary>The worker the wait is for: what creates it, the delegate it runs, and (for a thread or a task created with <c>new</c>) the call that starts it.</summary>
    private static (IOperation Creation, IOperation Work, IInvocationOperation? Start)? Worker(IInvocationOperation wait, ILoopOperation loop, ConcurrencyCatalogue catalogue)
    {
        var receiver = OperationTree.Unconverted(wait.Instance);
        IOperation? creation = catalogue.Starts.IsWorkerCreation(receiver) ? receiver : null;
        ILocalSymbol? worker = (receiver as ILocalReferenceOperation)?.Local;
        IInvocationOperation? start = null;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(loop.Body))
        {
            if (worker is null)
                break;
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, worker))
                creation = OperationTree.Unconverted(declarator.Initializer?.Value);
            else if (operation is IInvocationOperation { Instance: { } instance } call && OperationTree.Unconverted(instance) is ILocalReferenceOperation local
                && SymbolEqualityComparer.Default.Equals(local.Local, worker) && catalogue.Starts.IsThreadStart(call))
            {
                start = call;
            }
        }

        var work = creation switch
        {
            IObjectCreationOperation { Arguments.Length: > 0 } created => created.Arguments[0].Value,
            IInvocationOperation { Arguments.Length: > 0 } invoked => invoked.Arguments[0].Value,
            _ => null,
        };
        return creation is null || work is null ? null : (creation, work, start);
    }

    /// <summary>The worker, or what it calls, writes shared state without a lock or an atomic operation.</summary>
    private static bool WritesSharedState(IOperation target, MethodSummaries summaries)
    {
        var function = target switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (function is null)
            return true;

        var reach = summaries.Reach(function, UnsynchronisedWrites, CancellationToken.None);
        return !reach.IsEmpty || reach.Exhausted;
    }

    private static readonly ReachQuestion<bool, AccessFact> UnsynchronisedWrites = new(
        static facts => facts.Accesses.Where(a => a.IsWrite && !a.IsAtomic && a.Instance != InstanceKind.Fresh && a.Locks.IsEmpty).Take(1).Select(a => new KeyValuePair<bool, AccessFact>(true, a)),
        static _ => true,
        AsyncCalls.Skip);

    /// <summary>The loop, outside the worker, assigns only locals and calls nothing of the compilation that writes shared state.</summary>
    private static bool OnlyLocalWritesOutside(ILoopOperation loop, IOperation worker, MethodSummaries summaries)
    {
        foreach (var operation in loop.DescendantsAndSelf())
        {
            if (ThreadStarts.IsInside(operation, worker))
                continue;

            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                _ => null,
            };
            if (target is not null and not (ILocalReferenceOperation or IDiscardOperation or IParameterReferenceOperation { Parameter.RefKind: RefKind.None }))
                return false;

            if (CallTargets.GetInvokedMethod(operation) is null)
                continue;

            foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, CancellationToken.None))
            {
                var reach = summaries.Reach(callee, UnsynchronisedWrites, CancellationToken.None);
                if (!reach.IsEmpty || reach.Exhausted)
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The locals the worker lambda captures that are declared outside the loop body and written somewhere in the loop
    /// (each needs a copy per iteration); <paramref name="writtenByWorker"/> when the worker writes one itself.
    /// </summary>
    public static IReadOnlyList<ISymbol>? CapturedLoopLocals(IOperation worker, ILoopOperation loop, out bool writtenByWorker)
    {
        writtenByWorker = false;
        if (worker is not IAnonymousFunctionOperation lambda || lambda.SemanticModel is not { } model)
            return worker is IMethodReferenceOperation ? new List<ISymbol>() : null;

        var lambdaFlow = model.AnalyzeDataFlow(lambda.Syntax);
        var loopFlow = model.AnalyzeDataFlow(loop.Syntax);
        if (lambdaFlow is not { Succeeded: true } || loopFlow is not { Succeeded: true } || loop.Body.Syntax is not BlockSyntax bodyBlock)
            return null;

        var copies = new List<ISymbol>();
        foreach (var symbol in lambdaFlow.ReadInside)
        {
            // A foreach variable is a new variable in every iteration already; a for variable, a counter outside the body or
            // a parameter the loop changes is not.
            if (symbol is not (ILocalSymbol or IParameterSymbol)
                || symbol.DeclaringSyntaxReferences.Any(r => bodyBlock.Span.Contains(r.Span) || loop is IForEachLoopOperation && loop.Syntax.Span.Contains(r.Span))
                || !loopFlow.WrittenInside.Contains(symbol))
            {
                continue;
            }

            if (lambdaFlow.WrittenInside.Contains(symbol))
                writtenByWorker = true;
            copies.Add(symbol);
        }

        return copies;
    }
}
