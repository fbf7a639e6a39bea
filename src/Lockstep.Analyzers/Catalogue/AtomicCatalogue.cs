using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Shared state that is safe without a lock: <c>Interlocked</c> and <c>Volatile</c> operations, per-thread storage
/// (<c>[ThreadStatic]</c> fields, <c>ThreadLocal&lt;T&gt;</c>), and the atomic lazy initialisation of
/// <c>LazyInitializer</c>.
/// </summary>
internal sealed class AtomicCatalogue
{
    private readonly KnownTypes _types;
    private readonly MemberSet _atomicReads;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IFieldSymbol, bool> _threadStatic = new(SymbolEqualityComparer.Default);

    public AtomicCatalogue(KnownTypes types)
    {
        _types = types;
        _atomicReads = MemberSet.Union(MemberSet.Of(types.Interlocked, "Read"), MemberSet.Of(types.Volatile, "Read"));
    }

    /// <summary>A call of <c>Interlocked</c> or <c>Volatile</c>: it reads or writes the location it is given atomically.</summary>
    public bool IsAtomic(IInvocationOperation invocation) =>
        KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Interlocked) || KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Volatile);

    /// <summary><c>Interlocked.Read</c> or <c>Volatile.Read</c>: takes the location by reference but only reads it.</summary>
    public bool IsAtomicRead(IInvocationOperation invocation) => _atomicReads.Contains(invocation.TargetMethod);

    /// <summary>
    /// The value an atomic write stores whatever the location held: <c>Interlocked.Exchange(ref x, value)</c>,
    /// <c>Volatile.Write(ref x, value)</c>. Null for other calls (<c>CompareExchange</c> stores only on a match).
    /// </summary>
    public IOperation? StoredValue(IInvocationOperation invocation)
    {
        if (!IsAtomic(invocation) || invocation.TargetMethod.Name is not ("Exchange" or "Write"))
            return null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "value" })
                return argument.Value;
        }

        return null;
    }

    /// <summary>A <c>[ThreadStatic]</c> field has one copy per thread; memoised because every reference asks.</summary>
    public bool IsThreadStatic(IFieldSymbol field)
    {
        if (_types.ThreadStaticAttribute is not { } attribute || !field.IsStatic)
            return false;

        return _threadStatic.GetOrAdd(field, f =>
        {
            foreach (var data in f.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                    return true;
            }

            return false;
        });
    }
}
