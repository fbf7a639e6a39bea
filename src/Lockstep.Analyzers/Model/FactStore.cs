using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Lockstep.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The per-compilation store of function facts that the concurrency model is built from. Every rule that needs the
/// model feeds it from its operation-block actions; each body is collected once (the first rule to see it does the
/// work, the others wait for that result), so the facts cost one walk per body however many rules ask. A rule's
/// compilation-end action runs after all of its own block actions, so from its point of view the store is complete.
/// </summary>
internal sealed class FactStore
{
    private static readonly ConditionalWeakTable<Compilation, FactStore> Stores = new();

    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<IReadOnlyCollection<FunctionFacts>>> _bodies = new(SymbolEqualityComparer.Default);

    private FactStore(Compilation compilation) => Api = new ConcurrencyApi(compilation);

    public ConcurrencyApi Api { get; }

    public static FactStore For(Compilation compilation) => Stores.GetValue(compilation, c => new FactStore(c));

    /// <summary>Records the facts of one member body, unless another rule already has.</summary>
    public void Add(OperationBlockAnalysisContext context)
    {
        if (context.OwningSymbol is not IMethodSymbol method)
            return; // field and property initialisers: rarely start work, and not followed by calls

        var lazy = _bodies.GetOrAdd(method.OriginalDefinition, _ => new Lazy<IReadOnlyCollection<FunctionFacts>>(() => Collect(context, method), LazyThreadSafetyMode.ExecutionAndPublication));
        _ = lazy.Value;
    }

    /// <summary>All functions collected so far, keyed by symbol.</summary>
    public Dictionary<IMethodSymbol, FunctionFacts> Snapshot()
    {
        var functions = new Dictionary<IMethodSymbol, FunctionFacts>(SymbolEqualityComparer.Default);
        foreach (var body in _bodies.Values)
        {
            foreach (var facts in body.Value)
                functions[facts.Function] = facts;
        }

        return functions;
    }

    private IReadOnlyCollection<FunctionFacts> Collect(OperationBlockAnalysisContext context, IMethodSymbol method)
    {
        bool configured = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
            configured |= LockstepOptions.Names(LockstepOptions.ReadEntryPoints(context.Options, reference.SyntaxTree), method);

        var all = new List<FunctionFacts>();
        foreach (var block in context.OperationBlocks)
        {
            // Parameter defaults and attribute arguments come as blocks too; only bodies run.
            if (block is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation)
                all.AddRange(FactCollector.CollectBody(block, method, Api, configured));
        }

        return all;
    }
}
