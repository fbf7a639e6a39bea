using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Collections: which are safe for concurrent use (System.Collections.Concurrent, immutable collections, channels),
/// which are documented as not safe for concurrent writers (List, Dictionary, HashSet, Queue, Stack, LinkedList, the
/// sorted collections, PriorityQueue, the non-generic ones), and which members change them or ask about them.
/// </summary>
internal sealed class CollectionCatalogue
{
    /// <summary>The members of the non-thread-safe collections that change them (applied by name to any collection type).</summary>
    private static readonly string[] MutatingMembers =
    {
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere",
        "Clear", "Enqueue", "Dequeue", "TryDequeue", "EnqueueRange", "Push", "PushRange", "Pop", "TryPop",
        "TryAdd", "Sort", "Reverse", "AddFirst", "AddLast", "AddBefore", "AddAfter", "RemoveFirst", "RemoveLast",
        "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "TrimExcess", "EnsureCapacity", "SetValue",
    };

    private readonly KnownTypes _types;
    private readonly MemberSet _mutations;
    private readonly MemberSet _listAdd;

    public CollectionCatalogue(KnownTypes types)
    {
        _types = types;
        var sets = new MemberSet[types.NonThreadSafeCollections.Length];
        for (int i = 0; i < sets.Length; i++)
            sets[i] = MemberSet.Of(types.NonThreadSafeCollections[i], MutatingMembers);
        _mutations = MemberSet.Union(sets);
        _listAdd = MemberSet.Of(types.List, "Add");
    }

    /// <summary>
    /// The concurrent collection that can replace a non-thread-safe one used only through members both have
    /// (<c>List</c> → <c>ConcurrentBag</c>, <c>Dictionary</c> → <c>ConcurrentDictionary</c>, <c>Queue</c> →
    /// <c>ConcurrentQueue</c>, <c>Stack</c> → <c>ConcurrentStack</c>), with the names of those members
    /// (<c>this[]</c> for the indexer).
    /// </summary>
    public bool TryGetConcurrentCounterpart(INamedTypeSymbol collection, out INamedTypeSymbol counterpart, out string[] sharedMembers)
    {
        var definition = collection.OriginalDefinition;
        (INamedTypeSymbol? Target, string[] Members) found =
            KnownTypes.Is(definition, _types.List) ? (_types.ConcurrentBag, new[] { "Add", "Count", "ToArray", "GetEnumerator" })
            : KnownTypes.Is(definition, _types.Dictionary) ? (_types.ConcurrentDictionary, new[] { "TryAdd", "TryGetValue", "ContainsKey", "Count", "Keys", "Values", "GetEnumerator", "this[]" })
            : KnownTypes.Is(definition, _types.GenericQueue) ? (_types.ConcurrentQueue, new[] { "Enqueue", "TryDequeue", "TryPeek", "Count", "ToArray", "GetEnumerator" })
            : KnownTypes.Is(definition, _types.NonThreadSafeCollections[4]) ? (_types.ConcurrentStack, new[] { "Push", "TryPop", "TryPeek", "Count", "ToArray", "GetEnumerator" })
            : (null, System.Array.Empty<string>());
        counterpart = found.Target!;
        sharedMembers = found.Members;
        return found.Target is not null;
    }

    /// <summary><c>List&lt;T&gt;.Add</c>.</summary>
    public bool IsListAdd(IMethodSymbol method) => _listAdd.Contains(method);

    /// <summary>A <c>List&lt;T&gt;</c>.</summary>
    public bool IsList(ITypeSymbol? type) => KnownTypes.Is(type, _types.List);

    /// <summary>
    /// Collections documented as safe for concurrent use: System.Collections.Concurrent, immutable collections,
    /// channels. Mutating them from several threads is not a race (their compound check-then-act still can be).
    /// </summary>
    public bool IsThreadSafe(ITypeSymbol? type)
    {
        var ns = type?.ContainingNamespace;
        return Namespaces.Is(ns, "System", "Collections", "Concurrent") || Namespaces.Is(ns, "System", "Collections", "Immutable")
            || Namespaces.Is(ns, "System", "Threading", "Channels");
    }

    /// <summary>The BCL collections whose instance members are documented as not thread-safe for writers.</summary>
    public bool IsNonThreadSafe(ITypeSymbol? type) => KnownTypes.IsAny(type, _types.NonThreadSafeCollections);

    /// <summary>A call that changes a non-thread-safe collection (<c>Add</c>, <c>Remove</c>, <c>Enqueue</c>…).</summary>
    public bool IsMutation(IMethodSymbol method) => _mutations.Contains(method);

    /// <summary>
    /// A call that changes the collection it is made on, by the BCL's naming (<c>Add</c>, <c>Remove</c>, <c>Clear</c>…),
    /// whatever the collection's type: check-then-act looks at any collection a condition asks about.
    /// </summary>
    public static bool IsMutationByName(IMethodSymbol method) => System.Array.IndexOf(MutatingMembers, method.Name) >= 0;

    /// <summary>A membership query a check-then-act condition makes: <c>ContainsKey</c>, <c>Contains</c>, <c>TryGetValue</c>, <c>Any</c>.</summary>
    public static bool IsMembershipQuery(IMethodSymbol method) => method.Name is "ContainsKey" or "Contains" or "TryGetValue" or "Any";

    /// <summary>
    /// A LINQ operator that walks the collection it is given: every <c>System.Linq.Enumerable</c> method but those that,
    /// without a predicate, ask a collection directly (<c>Count()</c>, <c>Any()</c>, <c>First()</c>, <c>ElementAt</c>,
    /// <c>Contains</c>). <c>ToArray()</c> and <c>ToList()</c> count: they read the count and then copy, and a change in
    /// between throws or tears the copy, so they are a snapshot only when taken under the lock that guards the changes.
    /// </summary>
    public bool IsEnumeratingQuery(IMethodSymbol method)
    {
        var definition = method.ReducedFrom ?? method;
        if (!KnownTypes.Is(definition.ContainingType, _types.Enumerable))
            return false;
        if (method.Name is "Contains" or "ElementAt" or "ElementAtOrDefault")
            return false;
        bool asksDirectly = method.Name is "Count" or "LongCount" or "Any" or "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault";
        return !(asksDirectly && definition.Parameters.Length == 1);
    }

    /// <summary>The live views of a dictionary's keys and values: enumerating them enumerates the dictionary.</summary>
    public static bool IsLiveView(IPropertySymbol property) => property.Name is "Keys" or "Values";

    /// <summary>A size query a check-then-act condition makes: <c>Count</c> or <c>Length</c>.</summary>
    public static bool IsSizeQuery(IPropertySymbol property) => property.Name is "Count" or "Length";
}
