using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Walks a member body once and records, per function, the accesses to potentially shared locations, the
/// synchronous calls to other source functions, and the places that start concurrent work.
/// </summary>
internal sealed class FactCollector
{
    private readonly ConcurrencyApi _api;
    private readonly Dictionary<IMethodSymbol, FunctionFacts> _functions = new(SymbolEqualityComparer.Default);

    private FactCollector(ConcurrencyApi api) => _api = api;

    /// <summary>
    /// Facts of one member body as the analyzer driver built it (shared with every other operation analyzer, so no
    /// binding is repeated): the member's own function and every lambda and local function nested in it.
    /// </summary>
    public static IReadOnlyCollection<FunctionFacts> CollectBody(IOperation body, IMethodSymbol function, ConcurrencyApi api, bool isConfiguredEntryPoint)
    {
        var collector = new FactCollector(api);
        collector.Walk(body, function.OriginalDefinition, isConfiguredEntryPoint);
        return collector._functions.Values;
    }

    private FunctionFacts FactsOf(IMethodSymbol function)
    {
        if (!_functions.TryGetValue(function, out var facts))
        {
            facts = new FunctionFacts(function);
            _functions.Add(function, facts);
        }

        return facts;
    }

    private void Walk(IOperation root, IMethodSymbol rootFunction, bool isConfiguredEntryPoint)
    {
        var rootFacts = FactsOf(rootFunction);
        if (isConfiguredEntryPoint || (_api.RunsConcurrentlyAttribute is { } attribute && HasAttribute(rootFunction, attribute)))
            rootFacts.Starts.Add(new StartFact(StartKind.Annotated, rootFunction, root, isRepeated: true, InstanceKind.Other, int.MaxValue, "[RunsConcurrently]", rootFunction));

        var stack = new Stack<(IOperation Operation, FunctionFacts Function)>();
        stack.Push((root, rootFacts));
        while (stack.Count > 0)
        {
            var (operation, facts) = stack.Pop();
            var childFacts = facts;
            switch (operation)
            {
                case IAnonymousFunctionOperation lambda:
                    childFacts = FactsOf(lambda.Symbol.OriginalDefinition);
                    childFacts.Enclosing = facts.Function;
                    childFacts.IsCalledPerElement = IsPassedToPerElementApi(lambda);
                    break;
                case ILocalFunctionOperation localFunction:
                    childFacts = FactsOf(localFunction.Symbol.OriginalDefinition);
                    childFacts.Enclosing = facts.Function;
                    break;
                default:
                    Record(operation, facts);
                    break;
            }

            // Push in reverse so functions are walked in source order: a write-back must see the read before it.
            var children = new List<IOperation>(operation.ChildOperations);
            for (int i = children.Count - 1; i >= 0; i--)
                stack.Push((children[i], childFacts));
        }
    }

    private void Record(IOperation operation, FunctionFacts facts)
    {
        switch (operation)
        {
            case IInvocationOperation or IObjectCreationOperation or IEventAssignmentOperation:
                StartRecognizer.Recognize(operation, _api, facts);
                break;
            case IConditionalOperation conditional when conditional.Syntax is IfStatementSyntax:
                CheckThenActRecognizer.Recognize(conditional, facts);
                break;
            case ICoalesceAssignmentOperation coalesce:
                CheckThenActRecognizer.RecognizeCoalesce(coalesce, facts);
                break;
        }

        RecordAcquisitions(operation, facts);

        if (operation is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation)
            AccessRecognizer.Recognize(operation, _api, facts);

        if (CallTargets.GetRaceFollowableTarget(operation) is { } target && !SymbolEqualityComparer.Default.Equals(target, facts.Function))
            facts.Calls.Add(new CallFact(target, operation, AccessRecognizer.ReceiverOf(operation), operation.Syntax.SpanStart, StartRecognizer.IsInLoop(operation)));
    }

    /// <summary>Lock acquisitions, for the lock-order rules. <c>Locks.AcquireInOrder(a, b)</c> acquires each of its locks.</summary>
    private static void RecordAcquisitions(IOperation operation, FunctionFacts facts)
    {
        if (operation is not (ILockOperation or IInvocationOperation))
            return;

        if (HeldLocks.IsAcquisition(operation, out var acquired, out bool waitsIndefinitely))
        {
            var value = operation switch
            {
                ILockOperation lockOperation => lockOperation.LockedValue,
                IInvocationOperation { Instance: { } instance } => instance,
                IInvocationOperation { Arguments: { Length: > 0 } arguments } => arguments[0].Value,
                _ => null,
            };
            facts.Acquisitions.Add(new AcquisitionFact(acquired, operation, value, waitsIndefinitely, facts.Function));
            return;
        }

        if (operation is IInvocationOperation invocation && HeldLocks.IsAcquireInOrder(invocation))
        {
            foreach (var value in HeldLocks.AcquireInOrderValues(invocation))
            {
                if (HeldLocks.TryIdentify(value, isMutualExclusion: true, out var ordered))
                    facts.Acquisitions.Add(new AcquisitionFact(ordered, invocation, value, waitsIndefinitely: true, facts.Function));
            }
        }
    }

    /// <summary>A lambda given to LINQ or <c>ForEach</c> runs once per element: work it starts is started many times.</summary>
    private static bool IsPassedToPerElementApi(IAnonymousFunctionOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
            parent = parent.Parent;

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation }
            && (invocation.TargetMethod.ContainingType?.Name is "Enumerable" or "ParallelEnumerable" or "Parallel"
                || invocation.TargetMethod.Name == "ForEach");
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        }

        return false;
    }
}
