using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// APIs that run a delegate they are given on the calling thread, before or while the call returns: <c>List.ForEach</c>,
/// <c>Array.ForEach</c>, the LINQ operators (deferred ones run it when the query is enumerated, almost always in the
/// same flow), <c>ConcurrentDictionary.GetOrAdd/AddOrUpdate</c> value factories, <c>LazyInitializer.EnsureInitialized</c>.
/// The engine follows such a delegate as if the caller called its target: locks held at the call are held in it, and a
/// wait in it blocks the caller. Starts of concurrent work (<c>Task.Run</c>, <c>Parallel</c>, PLINQ) are not here: their
/// delegates run on other threads.
/// </summary>
internal sealed class DelegateInvokers
{
    private readonly KnownTypes _types;
    private readonly MemberSet _invokers;

    public DelegateInvokers(KnownTypes types)
    {
        _types = types;
        _invokers = MemberSet.Union(
            MemberSet.Of(types.List, "ForEach"),
            MemberSet.Of(types.Array, "ForEach"),
            MemberSet.Of(types.ConcurrentDictionary, "GetOrAdd", "AddOrUpdate"),
            MemberSet.Of(types.LazyInitializer, "EnsureInitialized"));
    }

    /// <summary>Whether the delegates passed to <paramref name="invocation"/> run synchronously on the calling thread.</summary>
    public bool RunsDelegatesInline(IInvocationOperation invocation) =>
        _invokers.Contains(invocation.TargetMethod) || KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Enumerable);
}
