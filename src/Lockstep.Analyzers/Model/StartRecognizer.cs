using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Records the places that start concurrent work (the catalogue's <see cref="StartCatalogue"/> says which APIs do):
/// for each delegate a start is given, which function it runs, on which object, how often, and how long the starter
/// keeps running alongside it.
/// </summary>
internal static class StartRecognizer
{
    public static void Recognize(IOperation operation, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (!catalogue.Starts.TryGetStart(operation, out var api, out var delegates))
            return;

        if (api.Kind == StartKind.Handler)
        {
            // The started work is the call itself: the async method runs on past its first await alongside the loop.
            var handler = (IInvocationOperation)operation;
            var receiver = handler.TargetMethod.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(handler.Instance, facts.Locals);
            facts.Starts.Add(new StartFact(api.Kind, handler.TargetMethod.OriginalDefinition, operation, isRepeated: true, receiver, Windows.EndOfStarterWindow(operation, catalogue), api.Name, facts.Function));
            return;
        }

        foreach (var value in delegates)
        {
            // params Action[] (Parallel.Invoke) arrives as one array of delegates, or as a collection expression.
            if (CollectionElements.TryGet(value, out var elements))
            {
                foreach (var element in elements)
                    AddDelegate(element, api, operation, catalogue, facts);
                continue;
            }

            AddDelegate(value, api, operation, catalogue, facts);
        }
    }

    /// <summary>Whether a start is given at least one function of the compilation to run (a lambda or a method group).</summary>
    public static bool StartsAny(StartApi api, ImmutableArray<IOperation> delegates)
    {
        if (api.Kind == StartKind.Handler)
            return true; // the call of an async method of the compilation

        foreach (var value in delegates)
        {
            if (CollectionElements.TryGet(value, out var elements))
            {
                foreach (var element in elements)
                {
                    if (DelegateTarget(element, out var target, out _) && (!api.AsyncDelegatesOnly || target.IsAsync))
                        return true;
                }
            }
            else if (DelegateTarget(value, out var target, out _) && (!api.AsyncDelegatesOnly || target.IsAsync))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddDelegate(IOperation value, StartApi api, IOperation start, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (!DelegateTarget(value, out var target, out var receiver, facts.Locals))
            return;
        if (api.AsyncDelegatesOnly && !target.IsAsync)
            return;

        // A one-shot callback registered again at the very end of its own run (the next receive, the next continuation)
        // continues a chain of runs one after another: the next run starts when this one is done with its work, so the
        // registration adds no concurrency. A registration before the callback's own work does (an accept callback that
        // accepts the next connection first and then serves this one), and is kept.
        if (api.Kind == StartKind.Callback && IsOwnLastStep(start, target, facts))
            return;

        bool isRepeated = api.IsRepeated || IsInLoop(start) || facts.IsCalledPerElement;
        int windowEnd = api.ReturnsWhenDone ? start.Syntax.SpanStart : Windows.EndOfStarterWindow(start, catalogue);
        facts.Starts.Add(new StartFact(api.Kind, target.OriginalDefinition, start, isRepeated, receiver, windowEnd, api.Name, facts.Function));
    }

    /// <summary>The functions of the compilation passed as delegates to <paramref name="invocation"/>.</summary>
    public static ImmutableArray<IMethodSymbol> InlineDelegateTargets(IInvocationOperation invocation)
    {
        var targets = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var argument in invocation.Arguments)
        {
            if (DelegateTarget(argument.Value, out var target, out _))
                targets.Add(target.OriginalDefinition);
        }

        return targets.ToImmutable();
    }

    /// <summary>The function a delegate argument runs: a lambda, or a method group of the compilation.</summary>
    public static bool DelegateTarget(IOperation? value, out IMethodSymbol target, out InstanceKind receiver, LocalObjects? locals = null)
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
                receiver = reference.Method.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(reference.Instance, locals);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The start re-registers the function that makes it, and nothing of that function's work follows it.</summary>
    private static bool IsOwnLastStep(IOperation start, IMethodSymbol target, FunctionBuilder facts)
    {
        if (!SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, facts.Function.OriginalDefinition))
            return false;

        IOperation current = start;
        while (current.Parent is { } parent && current != facts.Root)
        {
            if (parent is IBlockOperation block)
            {
                int index = block.Operations.IndexOf(current);
                for (int i = index + 1; i < block.Operations.Length; i++)
                {
                    if (block.Operations[i] is not (IReturnOperation { ReturnedValue: null } or IEmptyOperation))
                        return false;
                }
            }

            if (parent is ILoopOperation)
                return false;
            current = parent;
        }

        return true;
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
