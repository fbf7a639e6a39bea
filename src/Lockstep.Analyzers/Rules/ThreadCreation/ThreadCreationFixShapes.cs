using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// Which LS4001/LS4002 code fix can rewrite a thread start without changing what the program computes; the analyzer
/// records the answer in the diagnostic (<see cref="FixProperties.ThreadCreationFix"/>, <see cref="FixProperties.WorkerWaitFix"/>)
/// and the fixer trusts it. Every bounded form shares three conditions:
/// <list type="bullet">
/// <item><description>the work does not wait for other work (a join, a task wait, an event, a barrier, a semaphore): with a
/// bound, work that waits for work queued behind it would wait for ever, where a thread each never did;</description></item>
/// <item><description>the thread's settings are only its name, priority and background flag (a culture or an apartment
/// would change what the work computes on a pool thread);</description></item>
/// <item><description>the thread object is used for nothing but those settings and the start.</description></item>
/// </list>
/// Pool threads are background threads: where the original threads are foreground threads, which keep the process alive
/// until their work is done, the bounded form waits for all its work where the loop ends.
/// </summary>
internal static class ThreadCreationFixShapes
{
    /// <summary>
    /// <code>
    /// var threads = new List&lt;Thread&gt;();
    /// foreach (var item in items) { var t = new Thread(() =&gt; Work(item)); t.Start(); threads.Add(t); }
    /// foreach (var t in threads) t.Join();
    /// </code>
    /// and nothing else touches <c>threads</c> or <c>t</c>: the loop and the joins become one <c>Parallel.ForEach</c>,
    /// which also returns when every item is done.
    /// </summary>
    public static bool CanUseParallelForEach(IInvocationOperation start, IOperation creation, ILoopOperation loop, IOperation root, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        if (loop is not IForEachLoopOperation { IsAsynchronous: false, LoopControlVariable: IVariableDeclaratorOperation { Symbol: var item } } forEach
            || forEach.Syntax is not ForEachStatementSyntax { Parent: BlockSyntax }
            || forEach.Parent is not IBlockOperation outer
            || forEach.Body is not IBlockOperation { Operations.Length: 3 } body
            || start.Parent is not IExpressionStatementOperation startStatement || startStatement.Parent != body
            || OperationTree.Unconverted(start.Instance) is not ILocalReferenceOperation { Local: var thread }
            || creation is not IObjectCreationOperation { Arguments.Length: 1, Initializer: null } threadCreation
            || !IsElementTypeOf(forEach.Collection, item.Type))
        {
            return false;
        }

        // The body: the thread's declaration first, then Start and Add in either order.
        if (SingleDeclarator(body.Operations[0]) is not { Symbol: var declared, Initializer.Value: var initial }
            || !SymbolEqualityComparer.Default.Equals(declared, thread)
            || OperationTree.Unconverted(initial) != creation)
        {
            return false;
        }

        var add = (body.Operations[1] == startStatement ? body.Operations[2] : body.Operations[1]) as IExpressionStatementOperation;
        if (add?.Operation is not IInvocationOperation { Instance: ILocalReferenceOperation { Local: var list }, Arguments.Length: 1 } addCall
            || !catalogue.Collections.IsListAdd(addCall.TargetMethod)
            || OperationTree.Unconverted(addCall.Arguments[0].Value) is not ILocalReferenceOperation { Local: var addedThread }
            || !SymbolEqualityComparer.Default.Equals(addedThread, thread))
        {
            return false;
        }

        if (!IsWorkDelegate(threadCreation.Arguments[0].Value, start, item, thread, allowParameterless: true, catalogue)
            || !IsEmptyListDeclaredBefore(outer, forEach, list, catalogue)
            || !IsJoinAllAfter(outer, forEach, list, catalogue))
        {
            return false;
        }

        // threads: the Add and the join loop; t: Start and Add. Any other use would be lost by the rewrite.
        return CountReferences(root, list) == 2 && CountReferences(root, thread) == 2
            && !WaitsForOtherWork(threadCreation.Arguments[0].Value, summaries);
    }

    /// <summary>
    /// A fire-and-forget start in an async function, in a loop that sits in a block: <c>new Thread(work).Start();</c>,
    /// <c>var t = new Thread(work); t.IsBackground = true; t.Start();</c>, or <c>Task.Factory.StartNew(work, …LongRunning…);</c>.
    /// The work is a parameterless lambda or a method group (with <c>Start(arg)</c>: an argument that does not change
    /// after the call, so the lambda the fix writes sees the same value).
    /// </summary>
    public static bool CanUseBoundedWorkQueue(IInvocationOperation start, IOperation creation, ILoopOperation loop, IOperation root, ISymbol containingSymbol, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        if (loop.Syntax.Parent is not BlockSyntax
            || !AsyncContext.TryFind(start, containingSymbol, out _)
            || !AsyncContext.CanInsertAwait(start.Syntax))
        {
            return false;
        }

        if (catalogue.Starts.IsStartNew(start))
        {
            var statement = start.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard ? discard.Parent : start.Parent;
            if (statement is not IExpressionStatementOperation)
                return false;

            foreach (var argument in start.Arguments)
            {
                // An object state argument: the delegate reads its state from the call, which the queue's work item has no way to pass.
                if (argument.Parameter is null || argument.Parameter.Type.SpecialType == SpecialType.System_Object)
                    return false;
            }

            return start.Arguments.Length > 0 && IsWorkDelegate(start.Arguments[0].Value, start, item: null, thread: null, allowParameterless: false, catalogue)
                && !WaitsForOtherWork(start.Arguments[0].Value, summaries);
        }

        if (start.Parent is not IExpressionStatementOperation startStatement
            || creation is not IObjectCreationOperation { Arguments.Length: 1 } threadCreation)
        {
            return false;
        }

        if (ThreadStartShape(start, threadCreation, root, catalogue) is null)
            return false;

        return IsWorkDelegate(threadCreation.Arguments[0].Value, start, item: null, thread: null, allowParameterless: true, catalogue, loop: loop)
            && !WaitsForOtherWork(threadCreation.Arguments[0].Value, summaries);
    }

    /// <summary>
    /// A thread start in a loop of synchronous code → <c>slots.WaitOne(); ThreadPool.QueueUserWorkItem(…)</c> under a
    /// <c>Semaphore</c> of one slot per processor created before the loop, the slot released when the work ends. The work
    /// keeps its delegate: a parameterless lambda or method group, or one taking the object <c>Start(arg)</c> passes, which
    /// the pool passes the same way. Not offered in async code (the wait for a slot would block it; the BoundedWorkQueue
    /// or plain pool work serve there), under a lock (the loop would wait for a slot holding it), nor for a foreground
    /// thread in a loop that can leave the function early (the wait for the work where the loop ends would be skipped).
    /// </summary>
    public static bool CanUseThreadPoolUnderSemaphore(IInvocationOperation start, IOperation creation, ILoopOperation loop, IOperation root, ISymbol containingSymbol, MethodSummaries summaries, IOperation? removedWait = null)
    {
        var catalogue = summaries.Index.Catalogue;
        if (loop.Syntax.Parent is not BlockSyntax
            || catalogue.Types.Semaphore is null || catalogue.Types.ThreadPool is null || catalogue.Types.Environment is null
            || AsyncContext.TryFind(start, containingSymbol, out _)
            || !catalogue.Starts.IsThreadStart(start)
            || creation is not IObjectCreationOperation { Arguments.Length: 1 } threadCreation
            || ThreadStartShape(start, threadCreation, root, catalogue, removedWait) is not { } shape
            || !HeldLocks.At(start, catalogue.Locks).IsEmpty
            || !IsPoolDelegate(threadCreation.Arguments[0].Value, start)
            || WaitsForOtherWork(threadCreation.Arguments[0].Value, summaries))
        {
            return false;
        }

        return shape.IsBackground || !LeavesFunctionEarly(loop);
    }

    /// <summary>
    /// A background thread started once per call (in a helper, a constructor, a recursive method) → the same work on the
    /// thread pool, <c>ThreadPool.QueueUserWorkItem(…)</c>. A background thread, like a pool thread, does not keep the
    /// process alive, so nothing about when the program ends changes; a foreground thread gets no fix here, since nothing
    /// after the start could wait for the work. The same holds in a loop where no semaphore can be waited for (under a
    /// lock), for a background thread or in a loop that never ends; the pool is then the only bound.
    /// </summary>
    public static bool CanUseThreadPool(IInvocationOperation start, IOperation creation, IOperation root, MethodSummaries summaries, ILoopOperation? loop = null)
    {
        var catalogue = summaries.Index.Catalogue;
        return catalogue.Types.ThreadPool is not null
            && catalogue.Starts.IsThreadStart(start)
            && creation is IObjectCreationOperation { Arguments.Length: 1 } threadCreation
            && ThreadStartShape(start, threadCreation, root, catalogue) is { } shape
            && (shape.IsBackground || loop is not null && !EndIsReachable(loop))
            && IsPoolDelegate(threadCreation.Arguments[0].Value, start)
            && !WaitsForOtherWork(threadCreation.Arguments[0].Value, summaries);
    }

    /// <summary>Whether the code after the loop can run: a loop that never ends (an accept loop) keeps its method, and the process, running.</summary>
    private static bool EndIsReachable(ILoopOperation loop) =>
        loop.SemanticModel?.AnalyzeControlFlow(loop.Syntax) is not { Succeeded: true, EndPointIsReachable: false };

    /// <summary>
    /// <c>Task.Factory.StartNew(…, LongRunning …)</c> with the options written out (<c>TaskCreationOptions.LongRunning</c>,
    /// alone or among others joined by <c>|</c>) → the same call without <c>LongRunning</c>: the same task, the same
    /// exceptions and the same scheduler, on a pool thread instead of a thread of its own.
    /// </summary>
    public static bool CanDropLongRunning(IInvocationOperation start, MethodSummaries summaries)
    {
        var catalogue = summaries.Index.Catalogue;
        if (!catalogue.Starts.IsLongRunningStartNew(start) || start.Arguments.Length == 0 || WaitsForOtherWork(start.Arguments[0].Value, summaries))
            return false;

        foreach (var argument in start.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && KnownTypes.Is(argument.Parameter?.Type, catalogue.Types.TaskCreationOptions))
                return LongRunningOptions(argument.Value, catalogue) == 1;
        }

        return false;
    }

    /// <summary>How many times the options expression names <c>LongRunning</c>, through <c>|</c> only; -1 for any other expression.</summary>
    private static int LongRunningOptions(IOperation value, ConcurrencyCatalogue catalogue)
    {
        switch (OperationTree.Unconverted(value))
        {
            case IFieldReferenceOperation field:
                return catalogue.Starts.IsLongRunningOption(field.Field) ? 1 : 0;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } binary:
                int left = LongRunningOptions(binary.LeftOperand, catalogue);
                int right = LongRunningOptions(binary.RightOperand, catalogue);
                return left >= 0 && right >= 0 ? left + right : -1;
            default:
                return -1;
        }
    }

    /// <summary>
    /// <c>new Thread(work).Start(…)</c>, or <c>var t = new Thread(work) { … }; [t.Name = …;] t.Start(…);</c> in one block with
    /// <c>t</c> used nowhere else (but in <paramref name="removedWait"/>, the join LS4002's fix removes with it); only name,
    /// priority and background settings. Null for any other shape.
    /// </summary>
    public static StartShape? ThreadStartShape(IInvocationOperation start, IObjectCreationOperation creation, IOperation root, ConcurrencyCatalogue catalogue, IOperation? removedWait = null)
    {
        if (start.Parent is not IExpressionStatementOperation startStatement || !AreHarmlessSettings(creation.Initializer?.Initializers, catalogue, out bool isBackground))
            return null;

        if (OperationTree.Unconverted(start.Instance) is ILocalReferenceOperation { Local: var thread })
        {
            if (startStatement.Parent is not IBlockOperation block)
                return null;

            int references = 0;
            bool declared = false;
            foreach (var statement in block.Operations)
            {
                if (SingleDeclarator(statement) is { Symbol: var local, Initializer.Value: var value }
                    && SymbolEqualityComparer.Default.Equals(local, thread) && OperationTree.Unconverted(value) == creation)
                {
                    declared = true;
                }
                else if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation { Local: var target } } } assignment }
                    && SymbolEqualityComparer.Default.Equals(target, thread))
                {
                    if (!AreHarmlessSettings(ImmutableArray.Create<IOperation>(assignment), catalogue, out bool background))
                        return null;
                    isBackground |= background;
                    references++;
                }
            }

            // Its uses: the settings and the start, and the wait LS4002's fix removes with them.
            int waitReferences = removedWait is null ? 0 : CountReferences(removedWait, thread);
            return declared && CountReferences(root, thread) == references + 1 + waitReferences ? new StartShape(isBackground) : null;
        }

        return OperationTree.Unconverted(start.Instance) == creation ? new StartShape(isBackground) : null;
    }

    /// <summary>Assignments to a thread's Name, Priority or IsBackground; <paramref name="isBackground"/> when one sets IsBackground to true.</summary>
    private static bool AreHarmlessSettings(ImmutableArray<IOperation>? settings, ConcurrencyCatalogue catalogue, out bool isBackground)
    {
        isBackground = false;
        foreach (var setting in settings ?? ImmutableArray<IOperation>.Empty)
        {
            if (setting is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property }, Value: var value })
                return false;

            if (catalogue.Starts.IsBackgroundFlag(property))
            {
                isBackground = value.ConstantValue is { HasValue: true, Value: true };
                if (!value.ConstantValue.HasValue)
                    return false;
            }
            else if (!catalogue.Starts.IsHarmlessThreadSetting(property))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A delegate <c>ThreadPool.QueueUserWorkItem</c> can run with the same meaning: a parameterless lambda or method group
    /// started with <c>Start()</c>, or one taking an object started with <c>Start(arg)</c>; not async, written as such.
    /// </summary>
    private static bool IsPoolDelegate(IOperation value, IInvocationOperation start)
    {
        if (value is not IDelegateCreationOperation delegateCreation)
            return false;

        int parameters = start.Arguments.Length;
        return delegateCreation.Target switch
        {
            IAnonymousFunctionOperation { Symbol: { IsAsync: false } lambda } function => lambda.Parameters.Length == parameters
                && function.Syntax is ParenthesizedLambdaExpressionSyntax or SimpleLambdaExpressionSyntax,
            IMethodReferenceOperation reference => reference.Method.Parameters.Length == parameters
                && delegateCreation.Syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax,
            _ => false,
        };
    }

    /// <summary>A return, throw, goto or yield in the loop (outside nested functions): the loop can end without reaching its end.</summary>
    private static bool LeavesFunctionEarly(ILoopOperation loop) =>
        OperationTree.SameFunctionDescendants<IOperation>(loop.Body).Any(o => o is IReturnOperation or IThrowOperation
            || o is IBranchOperation { BranchKind: BranchKind.GoTo });

    /// <summary>Whether the work, or anything it calls in the compilation, waits for other work to finish or signal.</summary>
    public static bool WaitsForOtherWork(IOperation work, MethodSummaries summaries)
    {
        var function = (OperationTree.Unconverted(work) as IDelegateCreationOperation)?.Target switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (function is null)
            return true;

        var catalogue = summaries.Index.Catalogue;
        var waits = WaitQuestions.GetValue(catalogue, c => new ReachQuestion<bool, CallFact>(
            facts => facts.Calls.Where(call => c.Blocking.IsWait(call.Site)).Take(1).Select(call => new KeyValuePair<bool, CallFact>(true, call)),
            static _ => true,
            AsyncCalls.Skip));
        var reach = summaries.Reach(function, waits, System.Threading.CancellationToken.None);
        return !reach.IsEmpty || reach.Exhausted;
    }

    /// <summary>One "does it wait for other work?" question per compilation, so its answers are memoised across findings.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ConcurrencyCatalogue, ReachQuestion<bool, CallFact>> WaitQuestions = new();

    /// <summary>A parameterless lambda, or a method group, written as such (not <c>new ThreadStart(…)</c>).</summary>
    private static bool IsWorkDelegate(IOperation value, IInvocationOperation start, ILocalSymbol? item, ILocalSymbol? thread, bool allowParameterless, ConcurrencyCatalogue catalogue, ILoopOperation? loop = null)
    {
        if (value is not IDelegateCreationOperation delegateCreation)
            return false;

        bool isThreadStart = catalogue.Starts.IsThreadStart(start);
        switch (delegateCreation.Target)
        {
            case IAnonymousFunctionOperation { Symbol: { Parameters.Length: 0 } lambda } function
                when function.Syntax is ParenthesizedLambdaExpressionSyntax && (!isThreadStart || (!lambda.IsAsync && start.Arguments.Length == 0)):
                return thread is null || CountReferences(function, thread) == 0;

            case IMethodReferenceOperation reference when delegateCreation.Syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax:
                if (!isThreadStart || start.Arguments.Length == 0)
                    return allowParameterless && reference.Method.Parameters.Length == 0;

                // new Thread(Work).Start(arg): the fix calls Work(arg) later, so arg must not change meanwhile.
                var argument = OperationTree.Unconverted(start.Arguments[0].Value);
                if (argument is null || argument.ConstantValue.HasValue)
                    return argument is not null;
                if (argument is not ILocalReferenceOperation { Local: var local })
                    return false;
                if (item is not null)
                    return SymbolEqualityComparer.Default.Equals(local, item);
                return loop is not null && local.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span)) && !IsWrittenAfterDeclaration(loop, local);

            default:
                return false;
        }
    }

    private static bool IsWrittenAfterDeclaration(IOperation scope, ILocalSymbol local)
    {
        foreach (var operation in scope.DescendantsAndSelf())
        {
            if (operation is IAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local))
                return true;
            if (operation is IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented } && SymbolEqualityComparer.Default.Equals(incremented.Local, local))
                return true;
        }

        return false;
    }

    private static bool IsElementTypeOf(IOperation collection, ITypeSymbol elementType)
    {
        var type = OperationTree.Unconverted(collection)?.Type;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
            return SymbolEqualityComparer.Default.Equals(array.ElementType, elementType);

        if (type is not INamedTypeSymbol named)
            return false;

        foreach (var candidate in named.AllInterfaces.Add(named))
        {
            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                return SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], elementType);
        }

        return false;
    }

    private static bool IsEmptyListDeclaredBefore(IBlockOperation outer, IOperation loop, ILocalSymbol list, ConcurrencyCatalogue catalogue)
    {
        foreach (var statement in outer.Operations)
        {
            if (statement == loop)
                return false;

            if (SingleDeclarator(statement) is { Symbol: var local, Initializer.Value: var value }
                && SymbolEqualityComparer.Default.Equals(local, list))
            {
                return OperationTree.Unconverted(value) is IObjectCreationOperation { Arguments.Length: 0, Initializer: null, Type: var listType } && catalogue.Collections.IsList(listType)
                    && statement.Syntax is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0 };
            }
        }

        return false;
    }

    /// <summary><c>foreach (var t in threads) t.Join();</c> after the loop, in the same block.</summary>
    private static bool IsJoinAllAfter(IBlockOperation outer, IOperation loop, ILocalSymbol list, ConcurrencyCatalogue catalogue)
    {
        bool after = false;
        foreach (var statement in outer.Operations)
        {
            if (statement == loop)
            {
                after = true;
                continue;
            }

            if (!after || statement is not IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: var worker } } join
                || OperationTree.Unconverted(join.Collection) is not ILocalReferenceOperation { Local: var collection }
                || !SymbolEqualityComparer.Default.Equals(collection, list))
            {
                continue;
            }

            var body = join.Body is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : join.Body;
            return join.Syntax is ForEachStatementSyntax
                && body is IExpressionStatementOperation { Operation: IInvocationOperation { Instance: ILocalReferenceOperation { Local: var joined } } joinCall }
                && catalogue.Starts.IsThreadJoin(joinCall)
                && SymbolEqualityComparer.Default.Equals(joined, worker);
        }

        return false;
    }

    /// <summary>The declarator of a statement that declares exactly one local.</summary>
    private static IVariableDeclaratorOperation? SingleDeclarator(IOperation statement) =>
        statement is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group && group.Declarations[0].Declarators.Length == 1
            ? group.Declarations[0].Declarators[0]
            : null;

    private static int CountReferences(IOperation root, ILocalSymbol local)
    {
        int count = 0;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                count++;
        }

        return count;
    }
}

/// <summary>What the fixes need to know about a thread start's shape beyond its syntax.</summary>
internal sealed class StartShape
{
    public StartShape(bool isBackground) => IsBackground = isBackground;

    /// <summary>The thread is made a background thread, which does not keep the process alive.</summary>
    public bool IsBackground { get; }
}
