using System.Collections.Generic;
using System.Collections.Immutable;
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
        var held = ImmutableArray.CreateBuilder<LockIdentity>();
        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return held.ToImmutable(); // a nested function runs at another time; its caller's locks are not known here

                case ILockOperation lockOperation when child == lockOperation.Body:
                    AddIfKnown(held, lockOperation.LockedValue, isMutualExclusion: true);
                    break;

                case IUsingOperation usingOperation when child == usingOperation.Body:
                    AddScopeLocks(held, usingOperation.Resources);
                    break;

                case IConditionalOperation conditional when child == conditional.WhenTrue && Acquisition(conditional.Condition, out var guarded):
                    held.Add(guarded);
                    break;

                case IBlockOperation block:
                    AddRegionLocks(held, block, child);
                    break;
            }
        }

        return held.ToImmutable();
    }

    /// <summary>Walks the statements before <paramref name="statement"/> in its block, pairing acquisitions with releases.</summary>
    private static void AddRegionLocks(ImmutableArray<LockIdentity>.Builder held, IBlockOperation block, IOperation statement)
    {
        List<LockIdentity>? open = null;
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement)
                break;

            if (earlier is IUsingDeclarationOperation usingDeclaration)
            {
                var scoped = ImmutableArray.CreateBuilder<LockIdentity>();
                AddScopeLocks(scoped, usingDeclaration.DeclarationGroup);
                (open ??= new List<LockIdentity>()).AddRange(scoped);
                continue;
            }

            if (StatementAcquisition(earlier, out var acquired))
            {
                (open ??= new List<LockIdentity>()).Add(acquired);
                continue;
            }

            if (open is not null && Release(earlier, out var released))
                open.Remove(released);
        }

        if (open is not null)
            held.AddRange(open);
    }

    /// <summary>
    /// A statement that leaves a lock held: <c>Monitor.Enter(o);</c>, <c>await sem.WaitAsync();</c>,
    /// <c>if (!sem.Wait(t)) return;</c>, <c>try { Monitor.Enter(o, ref taken); … }</c> is handled by the try body's block.
    /// </summary>
    private static bool StatementAcquisition(IOperation statement, out LockIdentity acquired)
    {
        acquired = default;
        switch (statement)
        {
            case IExpressionStatementOperation expression:
                return Acquisition(expression.Operation, out acquired);

            case IConditionalOperation { WhenFalse: null, WhenTrue: { } whenTrue, Condition: IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not }
                when Lockstep.Analyzers.Internal.OperationTree.AlwaysExits(whenTrue):
                return Acquisition(not.Operand, out acquired);

            default:
                return false;
        }
    }

    /// <summary>An expression that acquires a lock (possibly awaited, possibly a Try form used as a condition).</summary>
    private static bool Acquisition(IOperation? operation, out LockIdentity acquired)
    {
        acquired = default;
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
    private static void AddScopeLocks(ImmutableArray<LockIdentity>.Builder held, IOperation? resources)
    {
        if (resources is null)
            return;

        foreach (var invocation in Invocations(resources))
        {
            if (invocation.TargetMethod.Name is "EnterScope" or "Lock" or "LockAsync" or "EnterWriteScope"
                && TryIdentify(invocation.Instance, isMutualExclusion: true, out var scopeLock))
            {
                held.Add(scopeLock);
            }

            // Locks.AcquireInOrder(a, b, …) is static: the locks it holds for the scope are its arguments.
            if (invocation.TargetMethod is { Name: "AcquireInOrder", IsStatic: true })
            {
                foreach (var argument in invocation.Arguments)
                {
                    var values = argument.Value is IArrayCreationOperation { Initializer: { } elements } ? elements.ElementValues : ImmutableArray.Create(argument.Value);
                    foreach (var value in values)
                    {
                        if (TryIdentify(value, isMutualExclusion: true, out var ordered))
                            held.Add(ordered);
                    }
                }
            }
        }
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

    private static void AddIfKnown(ImmutableArray<LockIdentity>.Builder held, IOperation? lockedValue, bool isMutualExclusion)
    {
        if (TryIdentify(lockedValue, isMutualExclusion, out var identity))
            held.Add(identity);
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
