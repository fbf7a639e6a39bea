using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// "Which locks are held here?" within one function body: <c>lock</c> statements, <c>using</c> scopes
/// (<c>Lock.EnterScope</c>, the runtime library's lock scopes, <c>Locks.AcquireInOrder</c>), and acquire … release
/// regions written as statements (<c>Monitor.Enter</c>/<c>Exit</c>, <c>SemaphoreSlim.Wait</c>/<c>WaitAsync</c>/
/// <c>Release</c>, <c>Mutex.WaitOne</c>/<c>ReleaseMutex</c>, <c>ReaderWriterLockSlim.Enter*</c>/<c>Exit*</c>,
/// <c>SpinLock.Enter</c>/<c>Exit</c>, <c>Lock.Enter</c>/<c>Exit</c>), including the <c>if (!sem.Wait(t)) return;</c> and
/// <c>if (Monitor.TryEnter(o))</c> forms. Which calls those are is the catalogue's knowledge; locks held by callers are
/// added by the engine as it follows calls.
/// </summary>
internal static class HeldLocks
{
    public static ImmutableArray<LockIdentity> At(IOperation operation, LockCatalogue catalogue)
    {
        var sites = SitesAt(operation, catalogue);
        var held = ImmutableArray.CreateBuilder<LockIdentity>(sites.Length);
        foreach (var site in sites)
            held.Add(site.Lock);
        return held.MoveToImmutable();
    }

    /// <summary>
    /// The locks held at <paramref name="operation"/> within its own function, each with the operation that acquired
    /// it (the <c>lock</c> statement, the <c>EnterScope()</c> or <c>Monitor.Enter</c> call), innermost first.
    /// </summary>
    public static ImmutableArray<HeldLock> SitesAt(IOperation operation, LockCatalogue catalogue)
    {
        var held = ImmutableArray.CreateBuilder<HeldLock>();
        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return held.ToImmutable(); // a nested function runs at another time; its caller's locks are not known here

                case ILockOperation lockOperation when child == lockOperation.Body:
                    if (TryIdentify(lockOperation.LockedValue, LockMode.Exclusive, out var locked))
                        held.Add(new HeldLock(locked, lockOperation, lockOperation.LockedValue));
                    break;

                case IUsingOperation usingOperation when child == usingOperation.Body:
                    AddScopeLocks(held, usingOperation.Resources, catalogue);
                    break;

                case IConditionalOperation conditional when child == conditional.WhenTrue && Acquisition(conditional.Condition, catalogue) is { } guarded:
                    if (TryIdentify(guarded.Subject, guarded.Mode, out var guardedLock))
                        held.Add(new HeldLock(guardedLock, guarded.Invocation, null));
                    break;

                case IBlockOperation block:
                    AddRegionLocks(held, block, child, catalogue);
                    break;
            }
        }

        return held.ToImmutable();
    }

    /// <summary>
    /// Whether <paramref name="operation"/> itself acquires a lock: a <c>lock</c> statement, a <c>Monitor.Enter</c>-style
    /// call, or a lock scope (<c>EnterScope()</c>, <c>LockAsync()</c>) that a <c>using</c> holds. (<c>Locks.AcquireInOrder</c>
    /// takes several; see <see cref="AcquireInOrderValues"/>.) <paramref name="waitsIndefinitely"/> is false for forms that
    /// give up or never wait, which cannot deadlock.
    /// </summary>
    public static bool IsAcquisition(IOperation operation, ConcurrencyCatalogue catalogue, out LockIdentity acquired, out bool waitsIndefinitely, out IOperation? value)
    {
        acquired = default;
        waitsIndefinitely = false;
        value = null;
        switch (operation)
        {
            case ILockOperation lockOperation:
                waitsIndefinitely = true;
                value = lockOperation.LockedValue;
                return TryIdentify(lockOperation.LockedValue, LockMode.Exclusive, out acquired);

            case IInvocationOperation invocation when catalogue.Locks.IsAcquisition(invocation, out var call):
                waitsIndefinitely = call.Wait == LockWait.Indefinite;
                value = call.Subject;
                return TryIdentify(call.Subject, call.Mode, out acquired);

            case IInvocationOperation scope when catalogue.Locks.IsScope(scope) && IsHeldByUsing(scope, catalogue.Locks.Tasks):
                waitsIndefinitely = catalogue.Locks.ScopeWait(scope) == LockWait.Indefinite;
                value = scope.Instance;
                return TryIdentify(scope.Instance, LockMode.Exclusive, out acquired);

            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="statement"/> releases a lock taken by a call, and which.</summary>
    public static bool Release(IOperation statement, LockCatalogue catalogue, out LockIdentity released)
    {
        released = default;
        return statement is IExpressionStatementOperation { Operation: IInvocationOperation invocation }
            && catalogue.IsRelease(invocation, out var call)
            && TryIdentify(call.Subject, call.Mode, out released);
    }

    /// <summary>Walks the statements before <paramref name="statement"/> in its block, pairing acquisitions with releases.</summary>
    private static void AddRegionLocks(ImmutableArray<HeldLock>.Builder held, IBlockOperation block, IOperation statement, LockCatalogue catalogue)
    {
        List<HeldLock>? open = null;
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement)
                break;

            if (earlier is IUsingDeclarationOperation usingDeclaration)
            {
                var scoped = ImmutableArray.CreateBuilder<HeldLock>();
                AddScopeLocks(scoped, usingDeclaration.DeclarationGroup, catalogue);
                (open ??= new List<HeldLock>()).AddRange(scoped);
                continue;
            }

            if (StatementAcquisition(earlier, catalogue) is { } acquisition)
            {
                if (TryIdentify(acquisition.Subject, acquisition.Mode, out var acquired))
                    (open ??= new List<HeldLock>()).Add(new HeldLock(acquired, acquisition.Invocation, null));
                continue;
            }

            if (open is not null && Release(earlier, catalogue, out var released))
            {
                int index = open.FindIndex(h => h.Lock.Equals(released));
                if (index >= 0)
                    open.RemoveAt(index);
            }
        }

        if (open is not null)
        {
            // Innermost first, like the enclosing statements.
            for (int i = open.Count - 1; i >= 0; i--)
                held.Add(open[i]);
        }
    }

    /// <summary>
    /// A statement that leaves a lock held: <c>Monitor.Enter(o);</c>, <c>await sem.WaitAsync();</c>,
    /// <c>if (!sem.Wait(t)) return;</c>; <c>try { Monitor.Enter(o, ref taken); … }</c> is handled by the try body's block.
    /// </summary>
    private static LockCall? StatementAcquisition(IOperation statement, LockCatalogue catalogue) => statement switch
    {
        IExpressionStatementOperation expression => Acquisition(expression.Operation, catalogue),
        IConditionalOperation { WhenFalse: null, WhenTrue: { } whenTrue, Condition: IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not }
            when OperationTree.AlwaysExits(whenTrue) => Acquisition(not.Operand, catalogue),
        _ => null,
    };

    /// <summary>An expression that acquires a lock (possibly awaited, possibly a try-form used as a condition).</summary>
    private static LockCall? Acquisition(IOperation? operation, LockCatalogue catalogue) =>
        catalogue.StripAwait(operation) is IInvocationOperation invocation && catalogue.IsAcquisition(invocation, out var call) ? call : null;

    /// <summary>
    /// <c>using (x.EnterScope())</c>, <c>using (await l.LockAsync())</c>, <c>using var s = l.Lock();</c>: a scope
    /// obtained from a lock holds its receiver's lock; <c>Locks.AcquireInOrder(a, b, …)</c> holds each of its arguments.
    /// </summary>
    private static void AddScopeLocks(ImmutableArray<HeldLock>.Builder held, IOperation? resources, LockCatalogue catalogue)
    {
        if (resources is null)
            return;

        foreach (var invocation in Invocations(resources))
        {
            if (catalogue.IsScope(invocation) && TryIdentify(invocation.Instance, LockMode.Exclusive, out var scopeLock))
                held.Add(new HeldLock(scopeLock, invocation, invocation.Instance));

            if (catalogue.IsAcquireInOrder(invocation))
            {
                foreach (var value in AcquireInOrderValues(invocation))
                {
                    if (TryIdentify(value, LockMode.Exclusive, out var ordered))
                        held.Add(new HeldLock(ordered, invocation, value));
                }
            }
        }
    }

    /// <summary>The lock values given to <c>Locks.AcquireInOrder</c>, whether as a params list, an explicit array or a collection expression.</summary>
    public static ImmutableArray<IOperation> AcquireInOrderValues(IInvocationOperation invocation)
    {
        var values = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (CollectionElements.TryGet(argument.Value, out var elements))
                values.AddRange(elements);
            else
                values.Add(argument.Value);
        }

        return values.ToImmutable();
    }

    /// <summary>Whether a scope call is the resource of a <c>using</c> statement or declaration (possibly awaited).</summary>
    private static bool IsHeldByUsing(IOperation scope, TaskCatalogue tasks)
    {
        for (var parent = scope.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IUsingOperation or IUsingDeclarationOperation:
                    return true;
                case IAwaitOperation or IConversionOperation or IVariableInitializerOperation or IVariableDeclaratorOperation
                    or IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                case IInvocationOperation configure when tasks.IsConfigureAwait(configure):
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static IEnumerable<IInvocationOperation> Invocations(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current is IInvocationOperation invocation)
                yield return invocation;
            foreach (var child in current.ChildOperations)
                stack.Push(child);
        }
    }

    /// <summary>The identity of the object a lock operation uses; unknown shapes (method results, casts of values) have none.</summary>
    public static bool TryIdentify(IOperation? value, LockMode mode, out LockIdentity identity)
    {
        identity = default;
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        ISymbol? symbol;
        var shape = LockShape.Member;
        switch (value)
        {
            case IFieldReferenceOperation field:
                symbol = field.Field;
                break;
            case IPropertyReferenceOperation property:
                symbol = property.Property;
                break;
            case ILocalReferenceOperation local:
                symbol = local.Local;
                break;
            case IParameterReferenceOperation parameter:
                symbol = parameter.Parameter;
                break;
            case IInstanceReferenceOperation instance:
                symbol = instance.Type;
                shape = LockShape.This;
                break;
            case ITypeOfOperation typeOf:
                symbol = typeOf.TypeOperand;
                shape = LockShape.TypeOf;
                break;
            default:
                return false;
        }

        if (symbol is null)
            return false;

        identity = new LockIdentity(symbol.OriginalDefinition, shape, isMutualExclusion: mode == LockMode.Exclusive);
        return true;
    }
}

/// <summary>A lock held at some point of a function, with the operation that acquired it and the locked value when known.</summary>
internal readonly struct HeldLock
{
    public HeldLock(LockIdentity @lock, IOperation acquisition, IOperation? value)
    {
        Lock = @lock;
        Acquisition = acquisition;
        Value = value;
    }

    public LockIdentity Lock { get; }

    /// <summary>The <c>lock</c> statement, the acquiring call, or the <c>AcquireInOrder</c> call.</summary>
    public IOperation Acquisition { get; }

    /// <summary>The expression naming the lock (the <c>lock</c> operand, the call's receiver or argument).</summary>
    public IOperation? Value { get; }
}
