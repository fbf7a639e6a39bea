using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Value factories that may run more than once for one key (<c>ConcurrentDictionary.GetOrAdd</c> and
/// <c>AddOrUpdate</c>: racing first calls each run the factory, one result is stored, the others are dropped), and
/// what a factory can do that a dropped run leaks or repeats: create something that must be disposed, start work,
/// register a callback, add to another collection. Objects whose disposal releases nothing that matters
/// (<c>SemaphoreSlim</c> and the other slim primitives until a wait handle is asked for, in-memory streams and writers,
/// tasks, a <c>CancellationTokenSource</c> without a timeout) are cheap values, not leaks.
/// </summary>
internal sealed class ValueFactoryCatalogue
{
    private readonly MemberSet _factoryTakers;
    private readonly MemberSet _collectionAdds;
    private readonly MemberSet _continueWith;
    private readonly INamedTypeSymbol? _lazy;
    private readonly INamedTypeSymbol? _asyncDisposable;
    private readonly INamedTypeSymbol? _cancellationTokenSource;
    private readonly INamedTypeSymbol?[] _disposalOptional;

    public ValueFactoryCatalogue(KnownTypes types, TaskCatalogue tasks)
    {
        var compilation = types.Compilation;
        _factoryTakers = MemberSet.Of(types.ConcurrentDictionary, "GetOrAdd", "AddOrUpdate");

        // Adding the same item twice to these keeps both (a set or a dictionary keeps one, so a repeat changes nothing).
        _collectionAdds = MemberSet.Union(
            MemberSet.Of(types.List, "Add", "Insert"),
            MemberSet.Of(types.GenericQueue, "Enqueue"),
            MemberSet.Of(types.NonThreadSafeCollections[4], "Push"),
            MemberSet.Of(types.NonThreadSafeCollections[5], "AddFirst", "AddLast"),
            MemberSet.Of(types.ConcurrentQueue, "Enqueue"),
            MemberSet.Of(types.ConcurrentBag, "Add"),
            MemberSet.Of(types.ConcurrentStack, "Push"),
            MemberSet.Of(types.BlockingCollection, "Add", "TryAdd"));
        _continueWith = tasks.ContinueWith;
        _lazy = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemLazy1);
        _asyncDisposable = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemIAsyncDisposable);
        _cancellationTokenSource = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingCancellationTokenSource);
        var inMemory = types.InMemoryStreams;
        _disposalOptional = new INamedTypeSymbol?[inMemory.Length + 7];
        inMemory.CopyTo(_disposalOptional, 0);
        _disposalOptional[inMemory.Length] = types.SemaphoreSlim;
        _disposalOptional[inMemory.Length + 1] = types.ManualResetEventSlim;
        _disposalOptional[inMemory.Length + 2] = types.CountdownEvent;
        _disposalOptional[inMemory.Length + 3] = types.ReaderWriterLockSlim;
        _disposalOptional[inMemory.Length + 4] = types.Task;
        _disposalOptional[inMemory.Length + 5] = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemIOStringWriter);
        _disposalOptional[inMemory.Length + 6] = types.AsyncLock;
    }

    /// <summary>
    /// The value factories passed to <paramref name="invocation"/> when it is a <c>GetOrAdd</c> or <c>AddOrUpdate</c> of a
    /// <c>ConcurrentDictionary</c> (the add factory and the update factory alike: both may run and be thrown away when
    /// another thread wins); empty otherwise.
    /// </summary>
    public ImmutableArray<IArgumentOperation> FactoriesOf(IInvocationOperation invocation)
    {
        if (!_factoryTakers.Contains(invocation.TargetMethod))
            return ImmutableArray<IArgumentOperation>.Empty;

        var factories = ImmutableArray.CreateBuilder<IArgumentOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
                factories.Add(argument);
        }

        return factories.ToImmutable();
    }

    /// <summary>
    /// The dictionary stores <c>Lazy&lt;T&gt;</c> values: the factory makes a cheap wrapper, and only the stored one's
    /// <c>Value</c> ever runs the expensive part. The remedy, not the mistake.
    /// </summary>
    public bool HoldsLazyValues(IInvocationOperation invocation) =>
        invocation.TargetMethod.ContainingType is { TypeArguments.Length: 2 } dictionary
        && KnownTypes.Is(dictionary.TypeArguments[1], _lazy);

    /// <summary>
    /// An object made here that must be disposed (or disposed asynchronously) to release what it holds: a connection,
    /// a file, a timer, a watcher. Not the primitives whose <c>Dispose</c> only frees what the garbage collector frees
    /// anyway.
    /// </summary>
    public bool MustBeDisposed(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (!LockCatalogue.IsDisposable(type) && !ImplementsAsyncDisposable(type))
            return false;

        foreach (var optional in _disposalOptional)
        {
            if (optional is not null && KnownTypes.IsOrDerivesFrom(type, optional))
                return false;
        }

        // new CancellationTokenSource() holds nothing; with a delay it holds a timer until disposed.
        return !(KnownTypes.Is(type, _cancellationTokenSource) && creation.Arguments.IsEmpty);
    }

    /// <summary>Adds an item to a collection that keeps duplicates (<c>List.Add</c>, <c>Enqueue</c>, <c>Push</c>…).</summary>
    public bool IsCollectionAdd(IMethodSymbol method) => _collectionAdds.Contains(method);

    /// <summary>
    /// A start of concurrent work that a dropped factory run repeats to some effect: a thread, a task, a pool item, a
    /// timer, a registered callback. A continuation (<c>ContinueWith</c>) only reacts to work the factory already did.
    /// </summary>
    public bool IsRepeatedByDuplicateRun(StartKind kind, IOperation start) => kind switch
    {
        StartKind.Thread or StartKind.Task or StartKind.ThreadPool or StartKind.Timer or StartKind.Event => true,
        StartKind.Callback => start is not IInvocationOperation invocation || !_continueWith.Contains(invocation.TargetMethod),
        _ => false,
    };

    /// <summary><c>x.Dispose()</c> or <c>x.DisposeAsync()</c>.</summary>
    public static bool IsDisposeCall(IInvocationOperation invocation) =>
        LockCatalogue.IsDispose(invocation) || invocation.TargetMethod is { Name: "DisposeAsync", Parameters.Length: 0 };

    private bool ImplementsAsyncDisposable(ITypeSymbol? type)
    {
        if (type is null || _asyncDisposable is null)
            return false;
        foreach (var @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, _asyncDisposable))
                return true;
        }

        return SymbolEqualityComparer.Default.Equals(type, _asyncDisposable);
    }
}
