using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Recognises the places that start concurrent work: <c>new Thread</c>, <c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>new Task</c>, <c>ThreadPool.QueueUserWorkItem</c>, <c>Parallel.For/ForEach/ForEachAsync/Invoke</c>, PLINQ,
/// <c>System.Threading.Timer</c> callbacks, <c>System.Timers.Timer.Elapsed</c> handlers, and async functions started
/// together through <c>Select</c>.
/// </summary>
internal static class StartRecognizer
{
    public static void Recognize(IOperation operation, ConcurrencyApi api, FunctionFacts facts)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when ConcurrencyApi.Is(creation.Type, api.Thread):
                AddDelegates(creation.Arguments, StartKind.Thread, "new Thread", creation, facts, repeated: false, windowEndsAtStart: false);
                break;

            case IObjectCreationOperation creation when ConcurrencyApi.Is(creation.Type, api.Task) || ConcurrencyApi.Is(creation.Type?.BaseType, api.Task):
                AddDelegates(creation.Arguments, StartKind.Task, "new Task", creation, facts, repeated: false, windowEndsAtStart: false);
                break;

            case IObjectCreationOperation creation when ConcurrencyApi.Is(creation.Type, api.ThreadingTimer):
                // A timer callback that takes longer than the period overlaps with its next run.
                AddDelegates(creation.Arguments, StartKind.Timer, "new Timer", creation, facts, repeated: true, windowEndsAtStart: false);
                break;

            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Event: { Name: "Elapsed" } timerEvent } } assignment
                when ConcurrencyApi.Is(timerEvent.ContainingType, api.TimersTimer):
                AddDelegate(assignment.HandlerValue, StartKind.Timer, "Timer.Elapsed", assignment, facts, repeated: true, windowEndsAtStart: false);
                break;

            case IInvocationOperation invocation:
                RecognizeInvocation(invocation, api, facts);
                break;
        }
    }

    private static void RecognizeInvocation(IInvocationOperation invocation, ConcurrencyApi api, FunctionFacts facts)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
            return;

        if (ConcurrencyApi.Is(type, api.Task) && method.Name == "Run")
        {
            AddDelegates(invocation.Arguments, StartKind.Task, "Task.Run", invocation, facts, repeated: false, windowEndsAtStart: false);
        }
        else if (type.Name == "TaskFactory" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks" && method.Name == "StartNew")
        {
            AddDelegates(invocation.Arguments, StartKind.Task, "Task.Factory.StartNew", invocation, facts, repeated: false, windowEndsAtStart: false);
        }
        else if (ConcurrencyApi.Is(type, api.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem")
        {
            AddDelegates(invocation.Arguments, StartKind.ThreadPool, "ThreadPool." + method.Name, invocation, facts, repeated: false, windowEndsAtStart: false);
        }
        else if (ConcurrencyApi.Is(type, api.Parallel) && method.Name == "Invoke")
        {
            // Each action runs once, concurrently with the others; Invoke returns when all are done.
            AddDelegates(invocation.Arguments, StartKind.ParallelInvoke, "Parallel.Invoke", invocation, facts, repeated: false, windowEndsAtStart: true);
        }
        else if (ConcurrencyApi.Is(type, api.Parallel) && method.Name is "For" or "ForEach" or "ForEachAsync")
        {
            // The body (and localInit/localFinally) run on several threads at once. For/ForEach block until done.
            AddDelegates(invocation.Arguments, StartKind.Parallel, "Parallel." + method.Name, invocation, facts, repeated: true, windowEndsAtStart: method.Name != "ForEachAsync");
        }
        else if (ConcurrencyApi.Is(type, api.ParallelEnumerable))
        {
            AddDelegates(invocation.Arguments, StartKind.Plinq, "PLINQ " + method.Name, invocation, facts, repeated: true, windowEndsAtStart: method.Name != "AsParallel");
        }
        else if (ConcurrencyApi.Is(type, api.Enumerable) && method.Name == "Select")
        {
            // items.Select(async x => …) or items.Select(FooAsync): every element starts an async call that runs on
            // until its first incomplete await and then continues on the thread pool, alongside the others.
            foreach (var argument in invocation.Arguments)
            {
                if (DelegateTarget(argument.Value, out var target, out _) && target.IsAsync)
                    AddDelegate(argument.Value, StartKind.AsyncFanOut, "Select", invocation, facts, repeated: true, windowEndsAtStart: false);
            }
        }
    }

    private static void AddDelegates(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, StartKind kind, string apiName, IOperation start, FunctionFacts facts, bool repeated, bool windowEndsAtStart)
    {
        foreach (var argument in arguments)
        {
            // params Action[] (Parallel.Invoke) arrives as one array of delegates, or as a collection expression.
            if (CollectionElements.TryGet(argument.Value, out var elements))
            {
                foreach (var element in elements)
                    AddDelegate(element, kind, apiName, start, facts, repeated, windowEndsAtStart);
                continue;
            }

            AddDelegate(argument.Value, kind, apiName, start, facts, repeated, windowEndsAtStart);
        }
    }

    private static void AddDelegate(IOperation value, StartKind kind, string apiName, IOperation start, FunctionFacts facts, bool repeated, bool windowEndsAtStart)
    {
        if (!DelegateTarget(value, out var target, out var receiver))
            return;

        bool isRepeated = repeated || IsInLoop(start) || facts.IsCalledPerElement;
        int windowEnd = windowEndsAtStart ? start.Syntax.SpanStart : Windows.EndOfStarterWindow(start);
        facts.Starts.Add(new StartFact(kind, target.OriginalDefinition, start, isRepeated, receiver, windowEnd, apiName, facts.Function));
    }

    /// <summary>The function a delegate argument runs: a lambda, or a method group of the compilation.</summary>
    public static bool DelegateTarget(IOperation? value, out IMethodSymbol target, out InstanceKind receiver)
    {
        target = null!;
        receiver = InstanceKind.Other;
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        switch (value)
        {
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                target = lambda.Symbol;
                receiver = InstanceKind.This;
                return true;
            case IAnonymousFunctionOperation lambda:
                target = lambda.Symbol;
                receiver = InstanceKind.This;
                return true;
            case IDelegateCreationOperation { Target: IMethodReferenceOperation reference } when !reference.Method.DeclaringSyntaxReferences.IsEmpty:
                target = reference.Method;
                receiver = reference.Method.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(reference.Instance);
                return true;
            default:
                return false;
        }
    }

    public static bool IsInLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation)
                return true;
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return false;
        }

        return false;
    }
}
