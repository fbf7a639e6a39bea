using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2001: the locks of the program are taken in orders that form a cycle (A → B in one place, B → A in another, or
/// longer), so threads following the cycle's orders at the same time can deadlock. One diagnostic per cycle.
/// <para>
/// A wait for code that runs on another thread, made while holding a lock, is an order too (the graph's wait edges):
/// <c>lock (_gate) { _worker.Join(); }</c> where the worker takes <c>_gate</c> is a cycle of one lock, reported here
/// rather than as a sharper LS5002: it is the same question the graph answers (which locks are wanted while which are
/// held, across members and calls), the waited code is found in other members only at compilation end, and the same
/// wait closes longer cycles with the program's other orders (the worker takes B, elsewhere B is held while A is taken).
/// LS5002 still reports the blocking call where it is written.
/// </para>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOrderCycleAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LockOrderCycle, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        LockOrderDiagnostics.Register(context, static (end, graph, catalogue) =>
        {
            bool hasAcquireInOrder = catalogue.Types.Locks is not null;
            var summaries = MethodSummaries.For(end.Compilation, end.Options);
            foreach (var cycle in graph.FindCycles(end.CancellationToken))
                end.ReportDiagnostic(Describe(graph, cycle, hasAcquireInOrder, summaries, end.CancellationToken));
        });
    }

    private static Diagnostic Describe(LockOrderGraph graph, ImmutableArray<(LockIdentity From, LockIdentity To)> cycle, bool hasAcquireInOrder, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var sites = cycle.Select(edge => graph.SitesOf(edge.From, edge.To)).ToList();
        int chosen = ChooseEdgeToFix(graph, cycle, sites, hasAcquireInOrder, summaries, cancellationToken, out var fix);

        // A cycle that closes through a wait for other code (a join, a task wait, a registration's Dispose) gets no fix:
        // the repair is to wait after the lock is released, or to let the waited code do without the lock, and either
        // changes what the lock guards, which only the author can judge. Reordering another edge of the cycle would
        // break it too, but would leave the wait under the lock for the next change to trip on.
        if (sites.Any(edge => edge.Any(site => site.IsWait)))
            fix = null;

        // The message starts with the order the fix changes: the one that goes against the rest of the code.
        var order = Enumerable.Range(0, cycle.Length).Select(i => (chosen + i) % cycle.Length).ToList();
        var name = LockOrderDiagnostics.Namer(cycle.Select(e => e.From));
        string orders = string.Join("; ", order.Select(i => LockOrderDiagnostics.DescribeOrder(sites[i][0], name, sites[i].Count - 1)));

        IReadOnlyCollection<LockOrderSite> fixSites = fix switch
        {
            LockOrderFixKind.AcquireInOrder => sites.SelectMany(s => s).ToList(),
            null => [],
            _ => sites[chosen].ToList(),
        };

        var primary = sites[chosen][0].Location;
        var (additional, pairs) = LockOrderDiagnostics.Locations(primary, order.SelectMany(i => sites[i]), fixSites);
        // A cycle whose every order is visible within two calls is reported at the rule's level; one that needs a longer
        // chain of calls for some order is a suggestion (Info): on real code such chains often pass through paths that do
        // not run together (a connection being torn down, a diagnostic dump).
        var severity = sites.All(s => s.Min(site => site.Via.Length) <= EvidentChainLength)
            ? Descriptors.LockOrderCycle.DefaultSeverity
            : DiagnosticSeverity.Info;
        return Diagnostic.Create(Descriptors.LockOrderCycle, primary, severity, additional, LockOrderDiagnostics.FixProperties(fix, pairs), orders);
    }

    /// <summary>Calls between the function that holds a lock and the one that takes the next, up to which an order is plain to see.</summary>
    private const int EvidentChainLength = 2;

    /// <summary>
    /// The order to change, and how. Repairs that touch one order come first, tried on every edge of the cycle; among the
    /// edges a repair fits, the one taken in the fewest places, and among those the one written last, is the odd one out.
    /// Every place that takes the chosen order is rewritten, and no other path in the graph may lead the same way
    /// (otherwise the reversed order closes a new cycle):
    /// <list type="number">
    /// <item><description>Reorder: each place is a pair of nested scopes that can simply trade places (lock statements,
    /// using scopes, acquire/try/finally regions of any lock kind).</description></item>
    /// <item><description>Take the inner lock first: each place is a lock statement nested in another with work around
    /// it; the inner lock is taken around the whole outer one. The work around it then also holds the inner lock, so
    /// every lock that work takes gets a new order after it, which must not close a cycle either; and the inner lock's
    /// expression must name the same object before the outer lock is taken (readonly fields, <c>this</c>, parameters).</description></item>
    /// <item><description>Call outside the lock: each place calls, as the only statement of a lock statement, a method that
    /// takes the other lock and uses nothing of the type that owns the first; the lock guards nothing the call needs, so
    /// the call runs after it (an open call) and the lock, left empty, goes.</description></item>
    /// </list>
    /// When no single order can change but every order of the cycle is a pair of nested lock statements (or EnterScope
    /// scopes) in one document, all of them together become Locks.AcquireInOrder, which takes locks in one global order;
    /// converting only some would leave the others free to take the opposite order.
    /// </summary>
    private static int ChooseEdgeToFix(LockOrderGraph graph, ImmutableArray<(LockIdentity From, LockIdentity To)> cycle, List<IReadOnlyList<LockOrderSite>> sites, bool hasAcquireInOrder, MethodSummaries summaries, CancellationToken cancellationToken, out LockOrderFixKind? fix)
    {
        var repairs = new (LockOrderFixKind Kind, Func<LockOrderSite, bool> Fits)[]
        {
            (LockOrderFixKind.Reorder, s => s.IsNested && NestedAcquisitions.CanSwap(s.Outer.Syntax, s.Inner.Syntax)),
            (LockOrderFixKind.TakeInnerLockFirst, s => LockOrderRepairs.CanTakeInnerFirst(graph, s)),
            (LockOrderFixKind.CallOutsideLock, s => LockOrderRepairs.CanCallOutsideLock(s, summaries, cancellationToken)),
        };

        foreach (var (kind, fits) in repairs)
        {
            int best = -1;
            for (int i = 0; i < cycle.Length; i++)
            {
                bool fitsEdge = sites[i].All(fits)
                    && LockOrderDiagnostics.InOneDocument(sites[i])
                    && !graph.HasOtherPath(cycle[i].From, cycle[i].To);
                if (fitsEdge && (best < 0 || IsOddOneOut(sites[i], sites[best])))
                    best = i;
            }

            if (best >= 0)
            {
                fix = kind;
                return best;
            }
        }

        int oddOneOut = 0;
        for (int i = 1; i < cycle.Length; i++)
        {
            if (IsOddOneOut(sites[i], sites[oddOneOut]))
                oddOneOut = i;
        }

        var all = sites.SelectMany(s => s).ToList();
        bool combinable = hasAcquireInOrder
            && all.All(s => s.IsNested && NestedAcquisitions.CanCombine(s.Outer.Syntax, s.Inner.Syntax))
            && LockOrderDiagnostics.InOneDocument(all);
        fix = combinable ? LockOrderFixKind.AcquireInOrder : null;
        return oddOneOut;
    }

    /// <summary>Fewer places first; then the one written later in the source.</summary>
    private static bool IsOddOneOut(IReadOnlyList<LockOrderSite> candidate, IReadOnlyList<LockOrderSite> current)
    {
        if (candidate.Count != current.Count)
            return candidate.Count < current.Count;

        return LockOrderGraph.CompareSites(candidate[0], current[0]) > 0;
    }
}
