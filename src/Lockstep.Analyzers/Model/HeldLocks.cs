using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// "Which locks are held here?" within one function body: <c>lock</c> statements, <c>using</c> scopes
/// (<c>Lock.EnterScope</c>, the runtime library's lock scopes), and acquire … release regions written as statements
/// (<c>Monitor.Enter</c>/<c>Exit</c>, <c>SemaphoreSlim.Wait</c>/<c>WaitAsync</c>/<c>Release</c>, <c>Mutex.WaitOne</c>/
/// <c>ReleaseMutex</c>, <c>ReaderWriterLockSlim.Enter*</c>/<c>Exit*</c>, <c>SpinLock.Enter</c>/<c>Exit</c>,
/// <c>Lock.Enter</c>/<c>Exit</c>), including the <c>if (!sem.Wait(t)) return;</c> and <c>if (Monitor.TryEnter(o))</c>
/// forms. Locks held by callers are added by the model as it follows calls.
/// </summary>
internal static class HeldLocks
{
    public static ImmutableArray<LockIdentity> At(IOperation operation)
    {
        var sites = SitesAt(operation);
        var held = ImmutableArray.CreateBuilder<LockIdentity>(sites.Length);
        foreach (var site in sites)
            held.Add(site.Lock);
        return held.MoveToImmutable();
    }

    /// <summary>
    /// The locks held at <paramref name="operation"/> within its own function, each with the operation that acquired
    /// it (the <c>lock</c> statement, the <c>EnterScope()</c> or <c>Monitor.Enter</c> call), innermost first.
    /// </summary>
    public static ImmutableArray<HeldLock> SitesAt(IOperation operation)
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
                    if (TryIdentify(lockOperation.LockedValue, isMutualExclusion: true, out var locked))
                        held.Add(new HeldLock(locked, lockOperation, lockOperation.LockedValue));
                    break;

                case IUsingOperation usingOperation when child == usingOperation.Body:
                    AddScopeLocks(held, usingOperation.Resources);
                    break;

                case IConditionalOperation conditional when child == conditional.WhenTrue && Acquisition(conditional.Condition, out var guarded, out var guardCall):
                    held.Add(new HeldLock(guarded, guardCall, null));
                    break;

                case IBlockOperation block:
                    AddRegionLocks(held, block, child);
                    break;
            }
        }

        return held.ToImmutable();
    }

    /// <summary>
    /// Whether <paramref name="operation"/> itself acquires a lock: a <c>lock</c> statement, a <c>Monitor.Enter</c>-style
    /// call, a lock scope (<c>EnterScope()</c>, <c>LockAsync()</c>) that a <c>using</c> holds, or one lock of
    /// <c>Locks.AcquireInOrder</c>. <paramref name="waitsIndefinitely"/> is false for try-forms with a timeout, which
    /// give up instead of deadlocking.
    /// </summary>
    public static bool IsAcquisition(IOperation operation, out LockIdentity acquired, out bool waitsIndefinitely)
    {
        acquired = default;
        waitsIndefinitely = false;
        switch (operation)
        {
            case ILockOperation lockOperation:
                waitsIndefinitely = true;
                return TryIdentify(lockOperation.LockedValue, isMutualExclusion: true, out acquired);

            case IInvocationOperation invocation when Acquisition(invocation, out acquired, out _):
                waitsIndefinitely = WaitsIndefinitely(invocation);
                return true;

            case IInvocationOperation scope when IsScopeAcquisition(scope) && IsHeldByUsing(scope)
                && TryIdentify(scope.Instance, isMutualExclusion: true, out acquired):
                waitsIndefinitely = WaitsIndefinitely(scope);
                return true;

            default:
                return false;
        }
    }

    /// <summary>
    /// Whether a call waits for as long as it takes: no timeout argument, or an infinite one. <c>TryEnter</c> with no
    /// timeout returns at once; with a finite timeout it gives up. Either way it cannot deadlock.
    /// </summary>
    private static bool WaitsIndefinitely(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var type = argument.Parameter?.Type;
            bool isTimeout = type?.SpecialType == SpecialType.System_Int32 && argument.Parameter!.Name is "millisecondsTimeout" or "timeout"
                || type is { Name: "TimeSpan" };
            if (!isTimeout)
                continue;

            var value = argument.Value;
            while (value is IConversionOperation conversion)
                value = conversion.Operand;
            bool infinite = value.ConstantValue is { HasValue: true, Value: -1 }
                || value is IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" };
            return infinite;
        }

        // A Try form without a timeout argument returns at once.
        return !invocation.TargetMethod.Name.StartsWith("Try", System.StringComparison.Ordinal);
    }

    /// <summary>Walks the statements before <paramref name="statement"/> in its block, pairing acquisitions with releases.</summary>
    private static void AddRegionLocks(ImmutableArray<HeldLock>.Builder held, IBlockOperation block, IOperation statement)
    {
        List<HeldLock>? open = null;
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement)
                break;

            if (earlier is IUsingDeclarationOperation usingDeclaration)
            {
                var scoped = ImmutableArray.CreateBuilder<HeldLock>();
                AddScopeLocks(scoped, usingDeclaration.DeclarationGroup);
                (open ??= new List<HeldLock>()).AddRange(scoped);
                continue;
            }

            if (StatementAcquisition(earlier, out var acquired, out var call))
            {
                (open ??= new List<HeldLock>()).Add(new HeldLock(acquired, call, null));
                continue;
            }

            if (open is not null && Release(earlier, out var released))
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
    /// <c>if (!sem.Wait(t)) return;</c>, <c>try { Monitor.Enter(o, ref taken); … }</c> is handled by the try body's block.
    /// </summary>
    private static bool StatementAcquisition(IOperation statement, out LockIdentity acquired, out IInvocationOperation call)
    {
        acquired = default;
        call = null!;
        switch (statement)
        {
            case IExpressionStatementOperation expression:
                return Acquisition(expression.Operation, out acquired, out call);

            case IConditionalOperation { WhenFalse: null, WhenTrue: { } whenTrue, Condition: IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not }
                when Lockstep.Analyzers.Internal.OperationTree.AlwaysExits(whenTrue):
                return Acquisition(not.Operand, out acquired, out call);

            default:
                return false;
        }
    }

    /// <summary>An expression that acquires a lock (possibly awaited, possibly a Try form used as a condition).</summary>
    private static bool Acquisition(IOperation? operation, out LockIdentity acquired, out IInvocationOperation call)
    {
        acquired = default;
        call = null!;
        while (operation is IAwaitOperation or IConversionOperation or IParenthesizedOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            operation = operation switch
            {
                IAwaitOperation awaitOperation => awaitOperation.Operation,
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                IInvocationOperation configure => configure.Instance,
                _ => operation,
            };
        }

        if (operation is not IInvocationOperation invocation)
            return false;

        call = invocation;
        var method = invocation.TargetMethod;
        string type = method.ContainingType?.Name ?? string.Empty;
        if (!Lockstep.Analyzers.Internal.Namespaces.IsSystemThreading(method.ContainingType?.ContainingNamespace))
            return false;

        if (method.Name == "WaitOne")
            type = invocation.Instance?.Type?.Name ?? type; // declared on WaitHandle; only a Mutex receiver is a lock

        switch (type, method.Name)
        {
            case ("Monitor", "Enter" or "TryEnter") when invocation.Arguments.Length > 0:
                return TryIdentify(invocation.Arguments[0].Value, isMutualExclusion: true, out acquired);
            case ("SemaphoreSlim", "Wait" or "WaitAsync"):
                return TryIdentify(invocation.Instance, isMutualExclusion: false, out acquired);
            case ("Mutex", "WaitOne"):
                return TryIdentify(invocation.Instance, isMutualExclusion: true, out acquired);
            case ("ReaderWriterLockSlim", "EnterWriteLock" or "TryEnterWriteLock" or "EnterUpgradeableReadLock" or "TryEnterUpgradeableReadLock"):
                return TryIdentify(invocation.Instance, isMutualExclusion: true, out acquired);
            case ("ReaderWriterLockSlim", "EnterReadLock" or "TryEnterReadLock"):
                return TryIdentify(invocation.Instance, isMutualExclusion: false, out acquired);
            case ("SpinLock", "Enter" or "TryEnter"):
            case ("Lock", "Enter" or "TryEnter"):
                return TryIdentify(invocation.Instance, isMutualExclusion: true, out acquired);
            default:
                return false;
        }
    }

    public static bool Release(IOperation statement, out LockIdentity released)
    {
        released = default;
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation invocation }
            || !Lockstep.Analyzers.Internal.Namespaces.IsSystemThreading(invocation.TargetMethod.ContainingType?.ContainingNamespace))
        {
            return false;
        }

        var method = invocation.TargetMethod;
        return (method.ContainingType?.Name, method.Name) switch
        {
            ("Monitor", "Exit") when invocation.Arguments.Length > 0 => TryIdentify(invocation.Arguments[0].Value, true, out released),
            ("SemaphoreSlim", "Release") => TryIdentify(invocation.Instance, false, out released),
            ("Mutex", "ReleaseMutex") => TryIdentify(invocation.Instance, true, out released),
            ("ReaderWriterLockSlim", "ExitWriteLock" or "ExitUpgradeableReadLock") => TryIdentify(invocation.Instance, true, out released),
            ("ReaderWriterLockSlim", "ExitReadLock") => TryIdentify(invocation.Instance, false, out released),
            ("SpinLock" or "Lock", "Exit") => TryIdentify(invocation.Instance, true, out released),
            _ => false,
        };
    }

    /// <summary>
    /// <c>using (x.EnterScope())</c>, <c>using (await l.LockAsync())</c>, <c>using var s = l.Lock();</c>: a disposable
    /// obtained from a lock-like member of a lock object is a held lock for the scope.
    /// </summary>
    private static void AddScopeLocks(ImmutableArray<HeldLock>.Builder held, IOperation? resources)
    {
        if (resources is null)
            return;

        foreach (var invocation in Invocations(resources))
        {
            if (IsScopeAcquisition(invocation) && TryIdentify(invocation.Instance, isMutualExclusion: true, out var scopeLock))
                held.Add(new HeldLock(scopeLock, invocation, invocation.Instance));

            // Locks.AcquireInOrder(a, b, …) is static: the locks it holds for the scope are its arguments.
            if (IsAcquireInOrder(invocation))
            {
                foreach (var value in AcquireInOrderValues(invocation))
                {
                    if (TryIdentify(value, isMutualExclusion: true, out var ordered))
                        held.Add(new HeldLock(ordered, invocation, value));
                }
            }
        }
    }

    /// <summary>A call that returns a scope holding its receiver's lock: <c>EnterScope()</c>, <c>LockAsync()</c>, <c>Lock()</c>.</summary>
    private static bool IsScopeAcquisition(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is "EnterScope" or "Lock" or "LockAsync" or "EnterWriteScope" && invocation.Instance is not null;

    public static bool IsAcquireInOrder(IInvocationOperation invocation) =>
        invocation.TargetMethod is { Name: "AcquireInOrder", IsStatic: true };

    /// <summary>The lock values given to <c>Locks.AcquireInOrder</c>, whether as a params list or an explicit array.</summary>
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
    private static bool IsHeldByUsing(IOperation scope)
    {
        for (var parent = scope.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IUsingOperation or IUsingDeclarationOperation:
                    return true;
                case IAwaitOperation or IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" }
                    or IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
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
    public static bool TryIdentify(IOperation? value, bool isMutualExclusion, out LockIdentity identity)
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

        identity = new LockIdentity(symbol.OriginalDefinition, shape, isMutualExclusion);
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
