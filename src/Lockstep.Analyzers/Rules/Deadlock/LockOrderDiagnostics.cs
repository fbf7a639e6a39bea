using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>Shared plumbing of the lock-order rules: they ask the lock-order graph once, at compilation end.</summary>
internal static class LockOrderDiagnostics
{
    /// <summary>
    /// Feeds the engine's function index from this rule's operation blocks and hands the finished lock-order graph to
    /// <paramref name="report"/> at compilation end (whole-program facts: builds and full-solution analysis).
    /// </summary>
    public static void Register(AnalysisContext context, Action<CompilationAnalysisContext, LockOrderGraph, ConcurrencyCatalogue> report)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (catalogue.Types.Monitor is null)
                return;

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(summaries.Index.Add);
            start.RegisterCompilationEndAction(end =>
            {
                var graph = LockOrderGraph.For(end.Compilation, summaries, end.CancellationToken);
                report(end, graph, catalogue);
                BudgetNotes.Report(end, graph.Exhausted, summaries.Index);
            });
        });
    }

    /// <summary>How messages name a lock: its member name, qualified by its type when <paramref name="qualify"/>.</summary>
    public static string LockName(LockIdentity identity, bool qualify)
    {
        switch (identity.Shape)
        {
            case LockShape.This:
                return qualify ? "this (" + identity.Symbol.Name + ")" : "this";
            case LockShape.TypeOf:
                return identity.Name;
            default:
                return qualify && identity.Symbol.ContainingType is { } type ? type.Name + "." + identity.Symbol.Name : identity.Symbol.Name;
        }
    }

    /// <summary>Names for the locks of one message: plain member names, qualified only where two would read the same.</summary>
    public static Func<LockIdentity, string> Namer(IEnumerable<LockIdentity> locks)
    {
        var distinct = locks.Distinct().ToList();
        var ambiguous = new HashSet<string>(distinct.GroupBy(l => LockName(l, qualify: false)).Where(g => g.Count() > 1).Select(g => g.Key));
        return identity =>
        {
            string plain = LockName(identity, qualify: false);
            return ambiguous.Contains(plain) ? LockName(identity, qualify: true) : plain;
        };
    }

    /// <summary>How messages name a function: <c>Type.Method</c>, <c>Type.Method.Local</c>, or <c>Type.Method (lambda)</c>.</summary>
    public static string FunctionName(IMethodSymbol function)
    {
        if (function.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction && function.ContainingSymbol is IMethodSymbol enclosing)
            return FunctionName(enclosing) + (function.MethodKind == MethodKind.LocalFunction ? "." + function.Name : " (lambda)");

        return function.ContainingType is { } type ? type.Name + "." + CallTargets.DisplayName(function) : CallTargets.DisplayName(function);
    }

    /// <summary>
    /// One order as a message states it: <c>_a → _b in Cache.Get (via RecordHit)</c>; through a wait,
    /// <c>_gate → _gate in Pump.Stop (Thread.Join waits for Pump.Start (lambda) on another thread)</c>.
    /// </summary>
    public static string DescribeOrder(LockOrderSite site, Func<LockIdentity, string> name, int otherPlaces)
    {
        string text = name(site.From) + " → " + name(site.To) + " in " + FunctionName(site.Function) + (site.IsWait ? Waits(site) : Via(site));
        if (otherPlaces > 0)
            text += " and " + otherPlaces.ToString(CultureInfo.InvariantCulture) + (otherPlaces == 1 ? " other place" : " other places");
        return text;
    }

    /// <summary>
    /// <c> (Thread.Join waits for Pump.Run → Drain on another thread)</c>: the wait, the waited function and the calls it
    /// makes on the way to the lock; a wait made further down is led by its calls: <c> (via Halt, whose Thread.Join waits
    /// for …)</c>.
    /// </summary>
    private static string Waits(LockOrderSite site)
    {
        var waited = site.Via.Skip(site.WaitedFrom).ToList();
        var chain = new List<string> { FunctionName(waited[0]) };
        chain.AddRange(waited.Skip(1).Select(CallTargets.DisplayName));
        string calls = site.WaitedFrom == 0
            ? string.Empty
            : "via " + string.Join(" → ", site.Via.Take(site.WaitedFrom).Select(CallTargets.DisplayName)) + ", whose ";
        return " (" + calls + site.Wait + " waits for " + string.Join(" → ", chain) + " on another thread)";
    }

    /// <summary><c> (via RecordHit → Bump)</c> for an order that comes through calls; empty for a nested acquisition.</summary>
    public static string Via(LockOrderSite site) =>
        site.Via.IsDefaultOrEmpty ? string.Empty : " (via " + string.Join(" → ", site.Via.Select(CallTargets.DisplayName)) + ")";

    /// <summary>
    /// The diagnostic's additional locations and the fix pairs: every acquisition (and call) of <paramref name="shown"/>,
    /// without the primary location and without repeats; <paramref name="fixSites"/> become <c>outer:inner</c> index pairs.
    /// </summary>
    public static (ImmutableArray<Location> Additional, ImmutableArray<(int Outer, int Inner)> Pairs) Locations(Location primary, IEnumerable<LockOrderSite> shown, IReadOnlyCollection<LockOrderSite> fixSites)
    {
        var all = new List<Location> { primary };
        int IndexOf(Location location)
        {
            for (int i = 0; i < all.Count; i++)
            {
                if (all[i].SourceTree == location.SourceTree && all[i].SourceSpan == location.SourceSpan)
                    return i;
            }

            all.Add(location);
            return all.Count - 1;
        }

        var pairs = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var site in fixSites)
        {
            // A site through a call is rewritten at the call (the lock it reaches lives in the callee).
            int outer = IndexOf(LockOrderGraph.LocationOf(site.Outer));
            pairs.Add((outer, IndexOf(site.Call is { } call ? call.Syntax.GetLocation() : LockOrderGraph.LocationOf(site.Inner))));
        }

        foreach (var site in shown)
        {
            IndexOf(LockOrderGraph.LocationOf(site.Outer));
            if (site.Call is not null)
                IndexOf(site.Call.Syntax.GetLocation());
            IndexOf(LockOrderGraph.LocationOf(site.Inner));
        }

        return (all.Skip(1).ToImmutableArray(), pairs.ToImmutable());
    }

    /// <summary>The repair and the acquisitions it rewrites; nothing when there is no repair or nothing to rewrite.</summary>
    public static ImmutableDictionary<string, string?> FixProperties(LockOrderFixKind? fix, ImmutableArray<(int Outer, int Inner)> pairs) =>
        fix is { } kind && !pairs.IsDefaultOrEmpty
            ? Lockstep.Analyzers.FixProperties.LockOrderFixPairs.Set(Lockstep.Analyzers.FixProperties.LockOrderFix.Set(Lockstep.Analyzers.FixProperties.None, kind), pairs)
            : Lockstep.Analyzers.FixProperties.None;

    /// <summary>Whether every site is in the tree of the first one: the fixes rewrite one document.</summary>
    public static bool InOneDocument(IEnumerable<LockOrderSite> sites)
    {
        SyntaxTree? tree = null;
        foreach (var site in sites)
        {
            foreach (var operation in new[] { site.Outer, site.Inner })
            {
                tree ??= operation.Syntax.SyntaxTree;
                if (operation.Syntax.SyntaxTree != tree)
                    return false;
            }
        }

        return true;
    }
}
