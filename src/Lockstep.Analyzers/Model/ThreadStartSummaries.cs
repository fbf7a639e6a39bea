using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// "Does every call of this method start a new thread?" for the methods of one compilation (LS4001's helpers:
/// <c>StartWorker(client)</c> called once per accepted connection). A method counts when it, or a method it calls
/// synchronously, starts a fresh thread outside any loop of its own and not behind a check of a field (the
/// start-once pattern <c>if (_worker == null) { … }</c> creates one thread however often it is called). Starts inside a
/// loop of the helper are that loop's business and reported there. Computed on demand, cached like
/// <see cref="BlockingSummaries"/>.
/// </summary>
internal sealed class ThreadStartSummaries
{
    /// <summary>Bounds the search so a pathological call graph cannot stall the IDE.</summary>
    private const int MaxMethodsVisited = 256;

    private static readonly ConditionalWeakTable<Compilation, ThreadStartSummaries> Instances = new();

    private readonly Compilation _compilation;
    private readonly ConcurrencyApi _api;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodFacts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _answers = new(SymbolEqualityComparer.Default);

    private ThreadStartSummaries(Compilation compilation, ConcurrencyApi api)
    {
        _compilation = compilation;
        _api = api;
    }

    public static ThreadStartSummaries For(Compilation compilation, ConcurrencyApi api) =>
        Instances.GetValue(compilation, c => new ThreadStartSummaries(c, api));

    /// <summary>Whether a call of <paramref name="method"/> starts at least one new thread, directly or through its callees.</summary>
    public bool StartsThreadPerCall(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_answers.TryGetValue(method, out bool known))
            return known;

        return _answers.GetOrAdd(method, Search(method, cancellationToken));
    }

    private bool Search(IMethodSymbol start, CancellationToken cancellationToken)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { start };
        var queue = new Queue<IMethodSymbol>();
        queue.Enqueue(start);
        while (queue.Count > 0 && seen.Count <= MaxMethodsVisited)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var facts = GetFacts(queue.Dequeue(), cancellationToken);
            if (facts.StartsThread)
                return true;

            foreach (var callee in facts.Callees)
            {
                if (seen.Add(callee))
                    queue.Enqueue(callee);
            }
        }

        return false;
    }

    private MethodFacts GetFacts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(method, out var known))
            return known;

        return _facts.GetOrAdd(method, ComputeFacts(method, cancellationToken));
    }

    private MethodFacts ComputeFacts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
                continue;

#pragma warning disable RS1030 // The helper lives in another method, often another tree; the driver's model cache makes this share the binding work.
            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            var body = model.GetOperation(syntax, cancellationToken);
            if (body is null)
                continue;

            foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(body))
            {
                if (operation is IInvocationOperation invocation
                    && ThreadStarts.IsThreadStart(invocation, _api, body, out _, out _)
                    && RunsOncePerCall(operation, body))
                {
                    return new MethodFacts(startsThread: true, ImmutableArray<IMethodSymbol>.Empty);
                }

                if (CallTargets.GetFollowableTarget(operation) is { } callee
                    && !SymbolEqualityComparer.Default.Equals(callee, method)
                    && RunsOncePerCall(operation, body))
                {
                    callees.Add(callee);
                }
            }
        }

        return new MethodFacts(startsThread: false, callees.ToImmutable());
    }

    /// <summary>
    /// Not inside a loop of the method, not inside an <c>if</c> that tests a field, and not after an early exit that
    /// tests one: such code runs on every call, as far as a careful reader can tell without running it.
    /// </summary>
    private static bool RunsOncePerCall(IOperation operation, IOperation body)
    {
        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation:
                    return false;
                case IConditionalOperation conditional when conditional.Condition != child && TestsState(conditional.Condition):
                    return false;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == child)
                            break;
                        if (statement is IConditionalOperation { WhenTrue: { } exit } guard && TestsState(guard.Condition) && OperationTree.AlwaysExits(exit))
                            return false;
                    }

                    break;
            }

            if (parent == body)
                break;
        }

        return true;
    }

    /// <summary>The condition reads a field or a property of the object or type: the "already started?" check.</summary>
    private static bool TestsState(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }:
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation }:
                    return true;
            }
        }

        return false;
    }

    private sealed class MethodFacts
    {
        public MethodFacts(bool startsThread, ImmutableArray<IMethodSymbol> callees)
        {
            StartsThread = startsThread;
            Callees = callees;
        }

        /// <summary>The method itself starts a fresh thread on every call.</summary>
        public bool StartsThread { get; }

        /// <summary>Source methods it calls synchronously on every call.</summary>
        public ImmutableArray<IMethodSymbol> Callees { get; }
    }
}
