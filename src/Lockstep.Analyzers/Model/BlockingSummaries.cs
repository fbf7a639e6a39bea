using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Lockstep.Analyzers.Internal;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// "May this method block?" for the methods of one compilation: per-method direct facts (the first blocking call,
/// the source methods it calls) and, on demand, the shortest call chain from a method to a blocking call.
/// One instance per compilation, shared by every rule that asks (LS3003 now, the lock-hygiene rules later).
/// Only methods reached from a question are summarised, so code nobody asks about costs nothing.
/// </summary>
internal sealed class BlockingSummaries
{
    /// <summary>Bounds the breadth-first search so a pathological call graph cannot stall the IDE.</summary>
    private const int MaxMethodsVisited = 4096;

    private static readonly ConditionalWeakTable<Compilation, BlockingSummaries> Instances = new();

    private readonly Compilation _compilation;
    private readonly BlockingApi _api;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, BlockingChain?> _chains = new(SymbolEqualityComparer.Default);

    private BlockingSummaries(Compilation compilation, BlockingApi api)
    {
        _compilation = compilation;
        _api = api;
    }

    public static BlockingSummaries For(Compilation compilation, BlockingApi api) =>
        Instances.GetValue(compilation, c => new BlockingSummaries(c, api));

    /// <summary>
    /// The shortest chain of synchronous calls from <paramref name="method"/> to a blocking call, or <see langword="null"/>
    /// when none is found. The search is breadth-first over callees in source order, so the answer is deterministic
    /// whatever order the analyzer driver asks in.
    /// </summary>
    public BlockingChain? GetChain(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_chains.TryGetValue(method, out var known))
            return known;

        var chain = Search(method, cancellationToken);
        return _chains.GetOrAdd(method, chain);
    }

    private BlockingChain? Search(IMethodSymbol start, CancellationToken cancellationToken)
    {
        var cameFrom = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default) { [start] = null };
        var queue = new Queue<IMethodSymbol>();
        queue.Enqueue(start);
        while (queue.Count > 0 && cameFrom.Count <= MaxMethodsVisited)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var method = queue.Dequeue();
            var facts = GetFacts(method, cancellationToken);
            if (facts.BlockingCall is { } blocking)
                return BuildChain(method, cameFrom, blocking);

            foreach (var callee in facts.Callees)
            {
                if (cameFrom.ContainsKey(callee))
                    continue;
                cameFrom[callee] = method;
                queue.Enqueue(callee);
            }
        }

        return null;
    }

    private static BlockingChain BuildChain(IMethodSymbol last, Dictionary<IMethodSymbol, IMethodSymbol?> cameFrom, string blockingCall)
    {
        var names = new List<string> { blockingCall };
        for (IMethodSymbol? current = last; current is not null; current = cameFrom[current])
            names.Add(CallTargets.DisplayName(current));

        names.Reverse();
        return new BlockingChain(names.ToImmutableArray());
    }

    private MethodFacts GetFacts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(method, out var known))
            return known;

        return _facts.GetOrAdd(method, ComputeFacts(method, cancellationToken));
    }

    private MethodFacts ComputeFacts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        string? blockingCall = null;
        int blockingPosition = int.MaxValue;
        var callees = new List<(int Position, IMethodSymbol Callee)>();

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
                continue;

#pragma warning disable RS1030 // The callee lives in another method, often another tree; the driver's model cache makes this share the binding work.
            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            var body = model.GetOperation(syntax, cancellationToken);
            if (body is null)
                continue;

            foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(body))
            {
                int position = operation.Syntax.SpanStart;
                if (BlockingCallClassifier.TryClassify(operation, _api, out var call))
                {
                    if (position < blockingPosition && !TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, body))
                    {
                        blockingCall = call.DisplayName;
                        blockingPosition = position;
                    }

                    continue;
                }

                if (CallTargets.GetFollowableTarget(operation) is { } callee && !SymbolEqualityComparer.Default.Equals(callee, method))
                    callees.Add((position, callee));
            }
        }

        callees.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        var ordered = ImmutableArray.CreateBuilder<IMethodSymbol>(callees.Count);
        foreach (var (_, callee) in callees)
            ordered.Add(callee);

        return new MethodFacts(blockingCall, ordered.MoveToImmutable());
    }

    private sealed class MethodFacts
    {
        public MethodFacts(string? blockingCall, ImmutableArray<IMethodSymbol> callees)
        {
            BlockingCall = blockingCall;
            Callees = callees;
        }

        /// <summary>The first blocking call the method makes itself, e.g. <c>Thread.Sleep</c>.</summary>
        public string? BlockingCall { get; }

        /// <summary>Source methods it calls synchronously, in source order.</summary>
        public ImmutableArray<IMethodSymbol> Callees { get; }
    }
}
