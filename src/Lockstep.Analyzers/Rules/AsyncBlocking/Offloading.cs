using System.Collections.Generic;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// When a blocking call has no awaitable form with the same meaning, its fix runs it on a pool thread and awaits that:
/// <c>await Task.Run(() =&gt; expression)</c>. The async code's own thread (an event loop, a UI thread, a request's
/// thread) is then free while the call blocks; the call itself computes exactly what it did, on another thread, while
/// the async code waits for it. That holds only under the conditions below, which the analyzers check before they
/// offer the fix (<see cref="AwaitFixKind.Offload"/>).
/// </summary>
internal static class Offloading
{
    /// <summary>
    /// "Does this code touch state it does not own without a lock or an atomic operation?" Offloaded code runs while
    /// the async caller is suspended, and on a single-threaded context (an event loop, a UI thread) other code resumes on
    /// that context meanwhile: state that only ever ran on that one thread would now be used from two.
    /// </summary>
    public static readonly ReachQuestion<bool, AccessFact> UnsynchronisedSharedAccess = new(
        static facts => FirstUnsynchronised(facts),
        static _ => true,
        AsyncCalls.Skip);

    private static IEnumerable<KeyValuePair<bool, AccessFact>> FirstUnsynchronised(FunctionFacts facts)
    {
        foreach (var access in facts.Accesses)
        {
            if (!access.IsAtomic && access.Instance != InstanceKind.Fresh && access.Locks.IsEmpty)
                return new[] { new KeyValuePair<bool, AccessFact>(true, access) };
        }

        return System.Array.Empty<KeyValuePair<bool, AccessFact>>();
    }

    /// <summary>
    /// Whether <paramref name="operation"/> can move into <c>() =&gt; …</c> on another thread and mean the same:
    /// <list type="bullet">
    /// <item><description>an <c>await</c> may stand there (not unsafe code, a catch filter, a query clause or a lock);</description></item>
    /// <item><description>it does not acquire or wait for a primitive that belongs to the thread that takes it (a Mutex, a Monitor,
    /// a SpinLock, a reader/writer lock): the async code's thread would not own what it took;</description></item>
    /// <item><description>a lambda can capture everything it uses: no ref, out or ref-like values, no declaration expressions, no
    /// <c>this</c> of a struct, no await of its own;</description></item>
    /// <item><description>its value is not a task (<c>Task.Run</c> would unwrap a returned task and wait for it too);</description></item>
    /// <item><description>it is not the tail of a conditional access (<c>a?.Wait(1)</c>), which cannot be lifted alone.</description></item>
    /// </list>
    /// </summary>
    public static bool CanOffload(IOperation operation, ConcurrencyCatalogue catalogue)
    {
        if (operation.Syntax is not ExpressionSyntax expression || !AsyncContext.CanInsertAwait(expression) || catalogue.Types.Task is null)
            return false;

        if (operation.Type is { } type && (type.IsRefLikeType || type.TypeKind == TypeKind.Pointer || catalogue.Tasks.IsTaskLike(type)))
            return false;

        // The target of an assignment (a property setter that blocks) is not a value a lambda can return.
        if (IsThreadAffine(operation, catalogue) || IsConditionalAccessTail(expression) || operation.Parent is IAssignmentOperation assignment && assignment.Target == operation)
            return false;

        foreach (var part in operation.DescendantsAndSelf())
        {
            switch (part)
            {
                case IArgumentOperation { Parameter.RefKind: not RefKind.None }:
                case IDeclarationExpressionOperation:
                case IAwaitOperation:
                case IAddressOfOperation:
                case ILocalReferenceOperation { Local.IsRef: true }:
                case ILocalReferenceOperation { Local.Type.IsRefLikeType: true }:
                case IParameterReferenceOperation { Parameter.RefKind: not RefKind.None }:
                case IParameterReferenceOperation { Parameter.Type.IsRefLikeType: true }:
                case IInstanceReferenceOperation { Type.IsValueType: true }:
                    return false;
                case IInvocationOperation or IPropertyReferenceOperation or IFieldReferenceOperation when IsImplicitStructThis(part):
                    return false;
            }
        }

        return true;
    }

    /// <summary>Primitives owned by the thread that acquires them, which another thread then cannot release.</summary>
    private static bool IsThreadAffine(IOperation operation, ConcurrencyCatalogue catalogue)
    {
        if (operation is not IInvocationOperation invocation)
            return false;

        var types = catalogue.Types;
        var owner = invocation.TargetMethod.ContainingType;
        if (KnownTypes.IsAny(owner, new[] { types.Monitor, types.SpinLock, types.ReaderWriterLockSlim, types.ReaderWriterLock, types.Lock }))
            return true;

        // WaitHandle.WaitAll/WaitAny/SignalAndWait take handles of any kind, mutexes included.
        if (invocation.TargetMethod.IsStatic && KnownTypes.IsOrDerivesFrom(owner, types.WaitHandle))
            return true;

        return invocation.Instance is { } instance && KnownTypes.IsOrDerivesFrom(instance.Type, types.Mutex);
    }

    private static bool IsConditionalAccessTail(ExpressionSyntax expression)
    {
        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (node is MemberBindingExpressionSyntax or ElementBindingExpressionSyntax
                && node.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>() is { } conditional
                && !expression.Span.Contains(conditional.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A member of a struct used through its implicit <c>this</c>, which a lambda cannot capture.</summary>
    private static bool IsImplicitStructThis(IOperation operation)
    {
        var instance = operation switch
        {
            IInvocationOperation invocation => invocation.Instance,
            IPropertyReferenceOperation property => property.Instance,
            IFieldReferenceOperation field => field.Instance,
            _ => null,
        };

        return instance is IInstanceReferenceOperation { Type.IsValueType: true };
    }
}
