using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>One function of the compilation a wait waits for: it runs on another thread, and the wait returns when it is done.</summary>
internal readonly struct WaitedFunction
{
    public WaitedFunction(IMethodSymbol function, bool onSameObject)
    {
        Function = function;
        OnSameObject = onSameObject;
    }

    public IMethodSymbol Function { get; }

    /// <summary>
    /// The function runs on the waiting function's own object: a lambda, or a method group on <c>this</c>, started by
    /// this object's code into a local or a field of this object (not a static field: any object's code may fill it).
    /// Only then is a lock of <c>this</c> that it takes the very lock the waiter holds.
    /// </summary>
    public bool OnSameObject { get; }
}

/// <summary>A wait for other code (<see cref="BlockingCatalogue.TryGetWaitedWork"/>) and the functions it waits for.</summary>
internal readonly struct WaitForWork
{
    public WaitForWork(IOperation operation, string name, ImmutableArray<WaitedFunction> functions)
    {
        Operation = operation;
        Name = name;
        Functions = functions;
    }

    /// <summary>The join, task wait, registration dispose or synchronous send.</summary>
    public IOperation Operation { get; }

    /// <summary>How messages name it: <c>Thread.Join</c>, <c>Task.Wait</c>…</summary>
    public string Name { get; }

    public ImmutableArray<WaitedFunction> Functions { get; }
}

/// <summary>
/// Which code a wait waits for (LS2001's wait edges). The waited value is linked to the start that made it with the
/// engine's own start recognition (<see cref="StartCatalogue.TryGetStart"/>, <see cref="StartRecognizer.DelegateTarget"/>):
/// a thread made with <c>new Thread(body)</c>, a task from <c>Task.Run(body)</c>, <c>Task.Factory.StartNew(body)</c>,
/// <c>new Task(body)</c> or <c>ContinueWith(body)</c>, a registration from <c>token.Register(body)</c>; written where it
/// is waited for, kept in a local of the waiting member, or kept in a field of this object (or a static field) that a
/// member of the field's type fills. A value from anywhere else (a parameter, another object's field, a call's result,
/// a field initializer, which cannot see <c>this</c>) is not followed: which work it holds is not known here.
/// </summary>
internal static class WaitedWork
{
    /// <summary>The waits <paramref name="facts"/> makes itself whose waited code is known, in source order.</summary>
    public static IEnumerable<WaitForWork> In(FunctionFacts facts, FunctionIndex index, CancellationToken cancellationToken)
    {
        var catalogue = index.Catalogue;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(facts.Root))
        {
            if (operation is not (IInvocationOperation or IPropertyReferenceOperation)
                || !catalogue.Blocking.TryGetWaitedWork(operation, out var name, out var waited, out bool runsDelegate))
            {
                continue;
            }

            var functions = ImmutableArray.CreateBuilder<WaitedFunction>();
            foreach (var value in waited)
            {
                // A task proven complete here (checked with IsCompleted, from Task.FromResult) is not waited for.
                if (!runsDelegate && TaskCompletionFacts.IsProvenComplete(value, operation, facts.Root, catalogue))
                    continue;

                if (runsDelegate)
                    AddTarget(value, holderIsOwn: true, functions, waitsForAsyncEnd: false); // an async callback is sent as far as its first await
                else
                    AddStarted(value, operation, index, functions, cancellationToken);
            }

            // _worker?.Join() is shown whole, not as its ".Join()" half.
            var shown = operation.Parent is IConditionalAccessOperation access && access.WhenNotNull == operation ? access : operation;
            if (functions.Count > 0)
                yield return new WaitForWork(shown, name, functions.ToImmutable());
        }
    }

    /// <summary>The bodies of the starts whose result <paramref name="value"/> holds.</summary>
    private static void AddStarted(IOperation value, IOperation wait, FunctionIndex index, ImmutableArray<WaitedFunction>.Builder functions, CancellationToken cancellationToken)
    {
        var catalogue = index.Catalogue;
        value = OperationTree.Unconverted(catalogue.Tasks.WithoutConfigureAwait(value))!;

        // _worker?.Join(): the receiver is the value the conditional access tested.
        if (value is IConditionalAccessInstanceOperation)
        {
            for (var parent = value.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access)
                {
                    value = OperationTree.Unconverted(catalogue.Tasks.WithoutConfigureAwait(access.Operation))!;
                    break;
                }
            }
        }

        switch (value)
        {
            case ILocalReferenceOperation { Local: var local }:
                // Every value the member's body (lambdas included) stores in the local.
                var member = wait;
                while (member.Parent is { } parent)
                    member = parent;
                foreach (var assigned in AssignedValues(member, local, descend: true))
                    AddStart(assigned, holderIsOwn: true, catalogue, functions);
                break;

            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field }:
                foreach (var function in FunctionsOf(field.ContainingType, index, cancellationToken))
                {
                    foreach (var assigned in AssignedValues(function.Root, field, descend: false))
                        AddStart(assigned, holderIsOwn: !field.IsStatic, catalogue, functions);
                }

                break;

            default:
                AddStart(value, holderIsOwn: true, catalogue, functions); // Task.Run(…).Wait(): the start is the waited value
                break;
        }
    }

    private static void AddStart(IOperation? value, bool holderIsOwn, ConcurrencyCatalogue catalogue, ImmutableArray<WaitedFunction>.Builder functions)
    {
        value = OperationTree.Unconverted(value);
        if (value is null || !catalogue.Starts.TryGetStart(value, out var api, out var delegates)
            || api.Kind is not (StartKind.Thread or StartKind.Task or StartKind.Callback))
        {
            return;
        }

        bool waitsForAsyncEnd = api.Kind == StartKind.Task && value is IInvocationOperation && !ReturnsTaskOfTask(value.Type, catalogue);
        foreach (var start in delegates)
            AddTarget(start, holderIsOwn, functions, waitsForAsyncEnd);
    }

    /// <summary><c>Task&lt;Task&gt;</c>: <c>Task.Factory.StartNew(async () => …)</c> or <c>ContinueWith(async t => …)</c>, whose task ends at the delegate's first await.</summary>
    private static bool ReturnsTaskOfTask(ITypeSymbol? type, ConcurrencyCatalogue catalogue) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } task && catalogue.Tasks.IsTaskLike(task.TypeArguments[0]);

    /// <param name="waitsForAsyncEnd">
    /// The wait lasts until an async delegate has run to its end: <c>Task.Run(async () => …)</c> returns a task for the
    /// whole delegate. A thread, a callback, <c>new Task</c>, and <c>StartNew</c> or <c>ContinueWith</c> returning a task
    /// of a task are done at the delegate's first await, and what runs after it is not waited for; such a delegate is
    /// left out (the walk over its body cannot stop at the first await).
    /// </param>
    private static void AddTarget(IOperation value, bool holderIsOwn, ImmutableArray<WaitedFunction>.Builder functions, bool waitsForAsyncEnd)
    {
        if (!StartRecognizer.DelegateTarget(value, out var target, out var receiver))
            return;
        if (target.IsAsync && !waitsForAsyncEnd)
            return;

        // A lambda or a local function runs on the object of the code that made it; a method group on the object it names.
        bool onThis = receiver == InstanceKind.This || target.MethodKind == MethodKind.LocalFunction && !target.IsStatic;
        var waited = new WaitedFunction(target.OriginalDefinition, holderIsOwn && onThis);
        foreach (var known in functions)
        {
            if (SymbolEqualityComparer.Default.Equals(known.Function, waited.Function) && known.OnSameObject == waited.OnSameObject)
                return;
        }

        functions.Add(waited);
    }

    /// <summary>The values <paramref name="root"/> stores in <paramref name="holder"/> (a local, or a field of this object or a static one).</summary>
    private static IEnumerable<IOperation> AssignedValues(IOperation root, ISymbol holder, bool descend)
    {
        var operations = descend ? root.DescendantsAndSelf() : OperationTree.SameFunctionDescendants<IOperation>(root);
        foreach (var operation in operations)
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, holder) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(HolderOf(assignment.Target), holder) => assignment.Value,
                _ => null,
            };
            if (value is not null)
                yield return value;
        }
    }

    private static ISymbol? HolderOf(IOperation target) => target switch
    {
        ILocalReferenceOperation { Local: var local } => local,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => field,
        _ => null,
    };

    /// <summary>The members of <paramref name="type"/> with a body, each with its lambdas and local functions: where its fields are filled.</summary>
    private static IEnumerable<FunctionFacts> FunctionsOf(INamedTypeSymbol type, FunctionIndex index, CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            var accessors = member switch
            {
                IMethodSymbol method => new[] { method },
                IPropertySymbol property => new[] { property.GetMethod, property.SetMethod },
                _ => System.Array.Empty<IMethodSymbol?>(),
            };
            foreach (var function in accessors)
            {
                if (function is null || function.IsAbstract || index.Get(function, cancellationToken) is not { } facts)
                    continue;

                yield return facts;
                foreach (var nested in index.NestedIn(function))
                    yield return nested;
            }
        }
    }
}
