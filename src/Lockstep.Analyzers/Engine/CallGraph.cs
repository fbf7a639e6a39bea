using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Engine;

/// <summary>How far a walk follows calls into async methods.</summary>
internal enum AsyncCalls
{
    /// <summary>
    /// Not followed: an async method returns to its caller at its first incomplete await, so what it does after that
    /// neither blocks the caller nor runs under the caller's locks; its own blocking is reported where it is.
    /// </summary>
    Skip,

    /// <summary>Followed: the whole body of an async method called from concurrent code runs in that concurrent context.</summary>
    Follow,
}

/// <summary>
/// The call graph of a compilation: which function bodies a call runs. A call of a method with a body runs that body;
/// a call of a virtual, abstract or interface method declared in the compilation runs its override or implementation
/// when the compilation has exactly one (with several, which one runs is decided at run time, and none is followed); a call of an API that runs its delegates on the calling thread
/// (<c>list.ForEach(x =&gt; …)</c>) runs those delegates. Iterators are not followed: their bodies run only when
/// enumerated. Every list is in source order, so every walk is deterministic.
/// </summary>
internal sealed class CallGraph
{
    private static readonly PerCompilationCache<CallGraph> Cache = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _bodies = new(SymbolEqualityComparer.Default);
    private Implementations? _implementations;

    private CallGraph(Compilation compilation, FunctionIndex index)
    {
        _compilation = compilation;
        Index = index;
    }

    public FunctionIndex Index { get; }

    public static CallGraph For(Compilation compilation, FunctionIndex index) => Cache.GetOrBuild(compilation, () => new CallGraph(compilation, index));

    /// <summary>The functions <paramref name="call"/> may run, in source order.</summary>
    public ImmutableArray<IMethodSymbol> Targets(CallFact call, AsyncCalls async, CancellationToken cancellationToken)
    {
        var bodies = Bodies(call.Invoked, cancellationToken);
        if (call.InlineDelegates.IsEmpty && async == AsyncCalls.Follow)
            return bodies;

        var targets = ImmutableArray.CreateBuilder<IMethodSymbol>(bodies.Length + call.InlineDelegates.Length);
        foreach (var body in bodies)
        {
            if (async == AsyncCalls.Follow || !body.IsAsync)
                targets.Add(body);
        }

        foreach (var target in call.InlineDelegates)
        {
            if ((async == AsyncCalls.Follow || !target.IsAsync) && CallTargets.HasSourceBody(target))
                targets.Add(target);
        }

        return targets.ToImmutable();
    }

    /// <summary>
    /// The functions an operation may run, for rules that look at one call where it is written (LS3003, LS5002, LS4001):
    /// the bodies of the method it invokes and the delegates an inline API is given.
    /// </summary>
    public ImmutableArray<IMethodSymbol> TargetsOf(IOperation operation, AsyncCalls async, CancellationToken cancellationToken)
    {
        if (CallTargets.GetInvokedMethod(operation) is not { } invoked)
            return ImmutableArray<IMethodSymbol>.Empty;

        var inline = ImmutableArray<IMethodSymbol>.Empty;
        if (operation is Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation && Index.Catalogue.Delegates.RunsDelegatesInline(invocation))
            inline = Model.StartRecognizer.InlineDelegateTargets(invocation);

        var bodies = Bodies(invoked, cancellationToken);
        var targets = ImmutableArray.CreateBuilder<IMethodSymbol>(bodies.Length + inline.Length);
        foreach (var body in bodies)
        {
            if (async == AsyncCalls.Follow || !body.IsAsync)
                targets.Add(body);
        }

        foreach (var target in inline)
        {
            if ((async == AsyncCalls.Follow || !target.IsAsync) && CallTargets.HasSourceBody(target))
                targets.Add(target);
        }

        return targets.ToImmutable();
    }

    /// <summary>
    /// The bodies a call of <paramref name="invoked"/> runs: its own; for a virtual, abstract or interface method declared
    /// in the compilation, the one override or implementation the compilation has. When the compilation holds several
    /// bodies the call may run (two implementations of an interface, a virtual method and an override of it), none is
    /// followed, on purpose: which one runs depends on the object at run time, and a claim made through "any of them"
    /// accuses callers of what another implementation does (a scheduler's <c>Schedule</c> that sleeps reported at every
    /// observer that schedules work on some other scheduler). Such a call is a deliberate miss, not a guess.
    /// </summary>
    public ImmutableArray<IMethodSymbol> Bodies(IMethodSymbol invoked, CancellationToken cancellationToken)
    {
        if (_bodies.TryGetValue(invoked, out var known))
            return known;

        var bodies = EveryBody(invoked, cancellationToken);
        return _bodies.GetOrAdd(invoked, bodies.Length > 1 ? ImmutableArray<IMethodSymbol>.Empty : bodies);
    }

    /// <summary>
    /// Every body in the compilation a call of <paramref name="invoked"/> may run, however many: for a question about a
    /// call whose receiver is a different object each time it runs (the message a dispatch loop took in this iteration,
    /// <c>while (queue.TryTake(out var e)) e.Invoke(this);</c>), each implementation runs for some of them, so "does any
    /// of them start a thread?" is the question the loop asks. <see cref="Bodies"/> stays the answer for a fixed receiver.
    /// </summary>
    public ImmutableArray<IMethodSymbol> EveryBody(IMethodSymbol invoked, CancellationToken cancellationToken)
    {
        var bodies = ImmutableArray.CreateBuilder<IMethodSymbol>();
        if (Runs(invoked))
            bodies.Add(invoked);
        if (IsDispatched(invoked))
        {
            foreach (var implementation in Implementations(cancellationToken).Of(invoked))
            {
                if (Runs(implementation) && !SymbolEqualityComparer.Default.Equals(implementation, invoked))
                    bodies.Add(implementation);
            }
        }

        return bodies.ToImmutable();
    }

    /// <summary>A body that runs when called: in source, not abstract or extern, not an iterator.</summary>
    private static bool Runs(IMethodSymbol method) => CallTargets.HasSourceBody(method) && !CallTargets.IsIterator(method);

    /// <summary>A call that may run another body than the one it names: virtual, abstract, override, or an interface member.</summary>
    private bool IsDispatched(IMethodSymbol method) =>
        (method.IsVirtual || method.IsAbstract || method.IsOverride || method.ContainingType?.TypeKind == TypeKind.Interface)
        && !method.IsSealed
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    private Implementations Implementations(CancellationToken cancellationToken)
    {
        var implementations = Volatile.Read(ref _implementations);
        if (implementations is null)
        {
            implementations = new Implementations(_compilation, cancellationToken);
            implementations = Interlocked.CompareExchange(ref _implementations, implementations, null) ?? implementations;
        }

        return implementations;
    }
}
