using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// The facts of every function of a compilation, each member body collected once (single flight: the first rule that
/// needs it does the work, the others wait for that result). Bodies come from the analyzer driver's operation blocks
/// when a rule registers <see cref="Add"/>, so no binding is repeated; a rule that asks about a method the driver has
/// not reached yet (a callee in another file) has it bound on demand. The whole-program rules run at compilation end,
/// after all of their own block actions, so from their point of view <see cref="Collected"/> is complete.
/// </summary>
internal sealed class FunctionIndex
{
    private static readonly PerCompilationCache<FunctionIndex> Cache = new();

    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<ImmutableArray<FunctionFacts>>> _members = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, FunctionFacts> _functions = new(SymbolEqualityComparer.Default);

    private FunctionIndex(Compilation compilation, AnalyzerOptions options)
    {
        _compilation = compilation;
        _options = options;
        Catalogue = ConcurrencyCatalogue.For(compilation);
        Budget = LockstepOptions.ReadCallGraphBudget(options, compilation);
    }

    public ConcurrencyCatalogue Catalogue { get; }

    /// <summary>How many functions one question may visit (<c>lockstep.call_graph_budget</c>).</summary>
    public int Budget { get; }

    public static FunctionIndex For(Compilation compilation, AnalyzerOptions options) =>
        Cache.GetOrBuild(compilation, () => new FunctionIndex(compilation, options));

    /// <summary>Records the facts of one member body from the driver's operation blocks, unless they are already known.</summary>
    public void Add(OperationBlockAnalysisContext context)
    {
        if (context.OwningSymbol is not IMethodSymbol method)
            return; // field and property initialisers: rarely start work, and not followed by calls

        Collect(method.OriginalDefinition, () =>
        {
            var blocks = ImmutableArray.CreateBuilder<IOperation>();
            foreach (var block in context.OperationBlocks)
            {
                // Parameter defaults and attribute arguments come as blocks too; only bodies run.
                if (block is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation)
                    blocks.Add(block);
            }

            return blocks.ToImmutable();
        });
    }

    /// <summary>The facts of <paramref name="function"/> (a method, accessor, lambda or local function), binding its member on demand; null without a body in the compilation.</summary>
    public FunctionFacts? Get(IMethodSymbol function, CancellationToken cancellationToken)
    {
        function = function.OriginalDefinition;
        if (_functions.TryGetValue(function, out var known))
            return known;

        var member = function;
        while (member.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction && member.ContainingSymbol is IMethodSymbol container)
            member = container.OriginalDefinition;

        if (member.DeclaringSyntaxReferences.IsEmpty)
            return null;

        Collect(member, () => Bind(member, cancellationToken));
        return _functions.TryGetValue(function, out known) ? known : null;
    }

    /// <summary>The lambdas and local functions declared in the body of <paramref name="member"/> (collected with it).</summary>
    public ImmutableArray<FunctionFacts> NestedIn(IMethodSymbol member)
    {
        if (!_members.TryGetValue(member.OriginalDefinition, out var lazy) || !lazy.IsValueCreated)
            return ImmutableArray<FunctionFacts>.Empty;

        var nested = ImmutableArray.CreateBuilder<FunctionFacts>();
        foreach (var facts in lazy.Value)
        {
            if (facts.Enclosing is not null)
                nested.Add(facts);
        }

        return nested.ToImmutable();
    }

    /// <summary>Every function collected so far, in source order.</summary>
    public ImmutableArray<FunctionFacts> Collected
    {
        get
        {
            var all = new List<FunctionFacts>(_functions.Values);
            all.Sort(static (x, y) => Implementations.CompareLocation(x.Function, y.Function));
            return all.ToImmutableArray();
        }
    }

    private void Collect(IMethodSymbol member, Func<ImmutableArray<IOperation>> bodies)
    {
        var lazy = _members.GetOrAdd(member, m => new Lazy<ImmutableArray<FunctionFacts>>(() => CollectFacts(m, bodies()), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            _ = lazy.Value;
        }
        catch (OperationCanceledException)
        {
            // A collection cancelled half way is not a result: the next request collects again.
            ((ICollection<KeyValuePair<IMethodSymbol, Lazy<ImmutableArray<FunctionFacts>>>>)_members).Remove(new KeyValuePair<IMethodSymbol, Lazy<ImmutableArray<FunctionFacts>>>(member, lazy));
            throw;
        }
    }

    private ImmutableArray<FunctionFacts> CollectFacts(IMethodSymbol member, ImmutableArray<IOperation> bodies)
    {
        bool configured = false;
        foreach (var reference in member.DeclaringSyntaxReferences)
            configured |= LockstepOptions.Names(LockstepOptions.ReadEntryPoints(_options, reference.SyntaxTree), member);

        var all = ImmutableArray.CreateBuilder<FunctionFacts>();
        foreach (var body in bodies)
            all.AddRange(FactCollector.CollectBody(body, member, Catalogue, configured));

        foreach (var facts in all)
            _functions.TryAdd(facts.Function, facts);
        return all.ToImmutable();
    }

    /// <summary>The bodies of a member the driver has not handed over (yet): bound from its declarations.</summary>
    private ImmutableArray<IOperation> Bind(IMethodSymbol member, CancellationToken cancellationToken)
    {
        var bodies = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
                continue;

#pragma warning disable RS1030 // The callee lives in another method, often another tree; the driver's model cache makes this share the binding work.
            var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(syntax, cancellationToken) is { } body)
                bodies.Add(body);
        }

        return bodies.ToImmutable();
    }
}
