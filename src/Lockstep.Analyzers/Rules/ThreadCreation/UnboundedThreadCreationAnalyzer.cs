using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Lockstep.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4001: a new thread (<c>new Thread(…).Start()</c>, or <c>Task.Factory.StartNew</c> with <c>LongRunning</c>) is
/// started once per iteration of a loop whose trip count grows with the input — per accepted connection, per message,
/// per item, per iteration — or once per recursive call, directly or through a helper called there.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedThreadCreationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnboundedThreadCreation, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (catalogue.Types.Thread is null)
                return;

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationAction(c => Analyze(c, summaries), OperationKind.Invocation, OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        var operation = context.Operation;
        if (operation is IInvocationOperation invocation)
        {
            var startRoot = OperationTree.FunctionRoot(operation);
            if (ThreadStarts.IsThreadStart(invocation, catalogue, startRoot, out var creation, out string name))
            {
                AnalyzeStart(context, invocation, creation!, name, startRoot, summaries);
                return;
            }
        }

        // A helper that starts a thread on every call, called in a loop that would be reported, or in a lambda registered
        // as a per-event callback. (A helper called from a recursive method, or from a named method registered as a
        // callback, is not followed: telling those apart costs a walk of every method that calls anything.) The loop or
        // callback test goes first: most calls are in neither, and the walk is the expensive part.
        var loops = LoopBounds.EnclosingLoops(operation);
        var root = OperationTree.FunctionRoot(operation);
        var callback = loops is null ? CallbackOccurrences.OfLambda(root, catalogue) : null;
        if ((loops is null && callback is null) || CallTargets.GetInvokedMethod(operation) is not { } invoked)
            return;

        var self = Function(root, context.ContainingSymbol)?.OriginalDefinition;
        var freshObject = FreshReceiver(operation);
        var callees = summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, context.CancellationToken);
        if (callees.IsEmpty && loops is not null && ReceiverChangesPerIteration(operation, loops))
            callees = summaries.Graph.EveryBody(invoked, context.CancellationToken).RemoveAll(static m => m.IsAsync);

        foreach (var callee in callees)
        {
            if (SymbolEqualityComparer.Default.Equals(callee, self))
                continue;

            var reach = summaries.Reach(callee, summaries.ThreadStartPerCall, context.CancellationToken);
            Func<ILoopOperation, bool>? counts = null;
            if (reach.IsEmpty && freshObject is not null)
            {
                // new Worker(connection).Start(), where Start starts the thread the constructor made: one thread per
                // object, so per iteration only in the loops that make a new object each time.
                reach = summaries.Reach(callee, summaries.OwnThreadStartPerCall, context.CancellationToken);
                counts = loop => ThreadStarts.IsInside(freshObject, loop);
            }

            if (reach.Exhausted)
                BudgetNotes.Report(context, callee, operation.Syntax.GetLocation(), summaries.Index);
            if (reach.IsEmpty)
                continue;

            // _slots.Wait(); handler.Handle(item); where the thread Handle starts gives the permit back: bounded by the count.
            if (ThreadStarts.IsThrottled(operation, root, catalogue))
                return;

            var driver = loops is not null
                ? FindDriver(context, operation, loops, root, start: null, creation: null, catalogue, counts)
                : new Driver(callback!.Value.Occurrence, null, callback.Value.Registration);
            if (driver is not null)
                Report(context, operation, driver, CallTargets.DisplayName(invoked), HelperFix(operation, reach.Found[0].Value.Fact, summaries));
            return;
        }
    }

    /// <summary>
    /// The call runs on a variable declared inside one of the loops around it (the foreach variable, the message
    /// <c>TryTake(out var e)</c> gave this iteration): a different object, possibly of another implementation, each time.
    /// </summary>
    private static bool ReceiverChangesPerIteration(IOperation call, List<ILoopOperation> loops)
    {
        if (OperationTree.Unconverted(call is IInvocationOperation invocation ? invocation.Instance : null) is not ILocalReferenceOperation { Local: var local }
            || local.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var declared = local.DeclaringSyntaxReferences[0].Span;
        foreach (var loop in loops)
        {
            if (loop.Syntax.Span.Contains(declared))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The object a call runs on when the calling function makes it for this run: <c>new Worker(c).Start()</c>, or a
    /// local declared with <c>new Worker(c)</c> and never assigned again. Null otherwise.
    /// </summary>
    private static IOperation? FreshReceiver(IOperation call)
    {
        var receiver = OperationTree.Unconverted(call is IInvocationOperation invocation ? invocation.Instance : null);
        if (receiver is IObjectCreationOperation)
            return receiver;
        if (receiver is not ILocalReferenceOperation { Local: var local })
            return null;

        IOperation? creation = null;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(OperationTree.FunctionRoot(call)))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (OperationTree.Unconverted(declarator.Initializer?.Value) is not IObjectCreationOperation made)
                        return null;
                    creation = made;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
            }
        }

        return creation;
    }

    private static void AnalyzeStart(OperationAnalysisContext context, IInvocationOperation start, IOperation creation, string name, IOperation root, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        if (ThreadStarts.IsThrottled(start, root, catalogue))
            return;

        var loops = LoopBounds.EnclosingLoops(start) ?? new List<ILoopOperation>();
        if ((FindDriver(context, start, loops, root, start, creation, catalogue) ?? FindCallbackDriver(context, start, root, summaries)) is not { } driver)
            return;

        Report(context, start, driver, name, ChooseFix(start, creation, driver.Loop, root, context.ContainingSymbol, summaries));
    }

    /// <summary>
    /// The bounded form that keeps what the start computes, in order of preference: Parallel.ForEach for a
    /// start-all-then-join-all loop, a BoundedWorkQueue in async code, the same task without LongRunning, thread-pool work
    /// under a semaphore in a loop; for a start once per recursive call, pool work for a background thread. The
    /// conditions are in <see cref="ThreadCreationFixShapes"/>; none fits → no fix.
    /// </summary>
    private static ImmutableDictionary<string, string?> ChooseFix(IInvocationOperation start, IOperation creation, ILoopOperation? loop, IOperation root, ISymbol containingSymbol, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        ThreadCreationFixKind? fix = null;
        if (loop is not null && catalogue.Starts.IsThreadStart(start) && ThreadCreationFixShapes.CanUseParallelForEach(start, creation, loop, root, summaries))
            fix = ThreadCreationFixKind.ParallelForEach;
        else if (loop is not null && catalogue.Types.BoundedWorkQueue is not null && ThreadCreationFixShapes.CanUseBoundedWorkQueue(start, creation, loop, root, containingSymbol, summaries))
            fix = ThreadCreationFixKind.BoundedWorkQueue;
        else if (ThreadCreationFixShapes.CanDropLongRunning(start, summaries))
            fix = ThreadCreationFixKind.DropLongRunning;
        else if (loop is not null && ThreadCreationFixShapes.CanUseThreadPoolUnderSemaphore(start, creation, loop, root, containingSymbol, summaries))
            fix = ThreadCreationFixKind.ThreadPoolUnderSemaphore;
        else if (ThreadCreationFixShapes.CanUseThreadPool(start, creation, root, summaries, loop))
            fix = ThreadCreationFixKind.ThreadPool;

        return fix is { } kind ? FixProperties.ThreadCreationFix.Set(FixProperties.None, kind) : FixProperties.None;
    }

    /// <summary>
    /// A helper (or constructor) called in the loop starts the thread: the fix rewrites the start inside it, when it is in
    /// the same document (a fix edits one document) and is a LongRunning task or a background thread.
    /// </summary>
    private static ImmutableDictionary<string, string?> HelperFix(IOperation call, IOperation startSite, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        if (startSite is not IInvocationOperation start || start.Syntax.SyntaxTree != call.Syntax.SyntaxTree)
            return FixProperties.None;

        var root = OperationTree.FunctionRoot(start);
        if (!ThreadStarts.IsThreadStart(start, catalogue, root, out var creation, out _) || creation is null)
            return FixProperties.None;

        ThreadCreationFixKind? fix = ThreadCreationFixShapes.CanDropLongRunning(start, summaries) ? ThreadCreationFixKind.DropLongRunning
            : ThreadCreationFixShapes.CanUseThreadPool(start, creation, root, summaries) ? ThreadCreationFixKind.ThreadPool
            : null;
        return fix is { } kind
            ? FixProperties.StartSite.Set(FixProperties.ThreadCreationFix.Set(FixProperties.None, kind), start.Syntax.Span.Start)
            : FixProperties.None;
    }

    /// <summary>
    /// The innermost loop around the start whose iterations each start a thread and whose trip count is not bounded;
    /// failing that, the recursion of the enclosing method. Null when the thread count is bounded.
    /// </summary>
    private static Driver? FindDriver(OperationAnalysisContext context, IOperation site, List<ILoopOperation> loops, IOperation root, IInvocationOperation? start, IOperation? creation, ConcurrencyCatalogue catalogue, Func<ILoopOperation, bool>? counts = null)
    {
        int? max = null;
        foreach (var loop in loops)
        {
            // A thread created before the loop is one thread, however often the loop calls Start on it.
            if (creation is not null && !ThreadStarts.IsCreatedInside(creation, start!.Instance, root, loop, catalogue))
                continue;
            if (counts is not null && !counts(loop))
                continue;

            // if (…) { new Thread(…).Start(); break; } starts one thread per run of the loop, not per iteration.
            if (RunsAtMostOncePerEntry(site, loop, out bool leavesFunction))
            {
                if (leavesFunction)
                    return null;
                continue;
            }

            // start(); if (succeeded) break; retries until an attempt succeeds: as many threads as failed attempts.
            if (LoopBounds.IsRetryLoop(loop, site, catalogue.Loops))
                continue;

            // Joined in the same iteration: one thread at a time. LS4002 reports that.
            if (start is not null && IsWaitedInSameIteration(start, loop, catalogue))
                return null;

            max ??= LockstepOptions.ReadMaxThreadsPerLoop(context.Options, site.Syntax.SyntaxTree);
            if (!LoopBounds.IsBounded(loop, max.Value, catalogue.Loops))
                return new Driver(LoopBounds.DescribeDriver(loop, catalogue.Loops), loop);
        }

        if (start is not null && Function(root, context.ContainingSymbol) is { } function)
        {
            max ??= LockstepOptions.ReadMaxThreadsPerLoop(context.Options, site.Syntax.SyntaxTree);
            if (LoopBounds.IsUnboundedRecursion(root, function, max.Value, catalogue.Loops))
                return new Driver("recursive call", null);
        }

        return null;
    }

    /// <summary>
    /// A start outside any loop, in a callback that runs once per event, tick, connection or item: the thread made in each
    /// run is one per occurrence. Looked for only once a start is found (rare): for a named method it means reading the
    /// members of its type for the registration.
    /// </summary>
    private static Driver? FindCallbackDriver(OperationAnalysisContext context, IOperation site, IOperation root, MethodSummaries summaries)
    {
        // Behind a test of a field (if (_worker == null) …) or in a loop the start does not run on every run of the callback.
        if (!FactCollector.RunsOncePerCall(site, root))
            return null;

        var callback = CallbackOccurrences.OfLambda(root, summaries.Index.Catalogue);
        if (callback is null && root is not (IAnonymousFunctionOperation or ILocalFunctionOperation) && context.ContainingSymbol is IMethodSymbol method)
            callback = CallbackOccurrences.OfMethod(method, summaries.Index, context.CancellationToken);
        return callback is { } found ? new Driver(found.Occurrence, null, found.Registration) : null;
    }

    /// <summary>The named function whose body <paramref name="root"/> is: a local function or the containing method; null for lambdas.</summary>
    private static IMethodSymbol? Function(IOperation root, ISymbol containingSymbol) => root switch
    {
        ILocalFunctionOperation localFunction => localFunction.Symbol,
        IAnonymousFunctionOperation => null,
        _ => containingSymbol as IMethodSymbol,
    };

    /// <summary>The block around the start (below the loop) ends by leaving the loop or the function.</summary>
    private static bool RunsAtMostOncePerEntry(IOperation site, ILoopOperation loop, out bool leavesFunction)
    {
        leavesFunction = false;
        for (var current = site.Parent; current is not null && current != loop; current = current.Parent)
        {
            if (current is not IBlockOperation { Operations.Length: > 0 } block)
                continue;

            switch (block.Operations[block.Operations.Length - 1])
            {
                case IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation }:
                    leavesFunction = true;
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break } branch when SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel):
                    return true;
            }
        }

        return false;
    }

    /// <summary><c>t.Join()</c> / <c>task.Wait()</c> on the started worker inside the same loop.</summary>
    private static bool IsWaitedInSameIteration(IInvocationOperation start, ILoopOperation loop, ConcurrencyCatalogue catalogue)
    {
        ILocalSymbol? worker = null;
        if (catalogue.Starts.IsThreadStart(start))
        {
            worker = (OperationTree.Unconverted(start.Instance) as ILocalReferenceOperation)?.Local;
        }
        else if (start.Parent is IInvocationOperation wait && catalogue.Starts.IsWaitForWorker(wait))
        {
            return true;
        }
        else if (start.Parent?.Parent is IVariableDeclaratorOperation declarator)
        {
            worker = declarator.Symbol;
        }

        if (worker is null)
            return false;

        foreach (var invocation in OperationTree.SameFunctionDescendants<IInvocationOperation>(loop.Body))
        {
            if (catalogue.Starts.IsWaitForWorker(invocation)
                && OperationTree.Unconverted(invocation.Instance) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, worker))
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, IOperation site, Driver driver, string starter, ImmutableDictionary<string, string?> properties)
    {
        var additional = driver.Loop is { } loop ? ImmutableArray.Create(loop.Syntax.GetLocation())
            : driver.Registration is { } registration ? ImmutableArray.Create(registration.Syntax.GetLocation())
            : ImmutableArray<Location>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnboundedThreadCreation,
            site.Syntax.GetLocation(),
            additional,
            properties,
            starter,
            driver.Description));
    }

    private sealed class Driver
    {
        public Driver(string description, ILoopOperation? loop, IOperation? registration = null)
        {
            Description = description;
            Loop = loop;
            Registration = registration;
        }

        /// <summary>For a callback: where it is registered (the additional location).</summary>
        public IOperation? Registration { get; }

        /// <summary>What the count follows, for the message: <c>accepted connection</c>, <c>item of 'orders'</c>…</summary>
        public string Description { get; }

        /// <summary>The loop that drives it; null for recursion.</summary>
        public ILoopOperation? Loop { get; }
    }
}
