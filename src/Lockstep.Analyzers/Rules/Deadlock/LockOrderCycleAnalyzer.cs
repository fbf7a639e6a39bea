using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2001: the locks of the program are taken in orders that form a cycle (A → B in one place, B → A in another, or
/// longer), so threads following the cycle's orders at the same time can deadlock. One diagnostic per cycle.
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
            foreach (var cycle in graph.FindCycles(end.CancellationToken))
                end.ReportDiagnostic(Describe(graph, cycle, hasAcquireInOrder));
        });
    }

    private static Diagnostic Describe(LockOrderGraph graph, ImmutableArray<(LockIdentity From, LockIdentity To)> cycle, bool hasAcquireInOrder)
    {
        var sites = cycle.Select(edge => graph.SitesOf(edge.From, edge.To)).ToList();
        int chosen = ChooseEdgeToFix(graph, cycle, sites, hasAcquireInOrder, out string? fix);

        // The message starts with the order the fix changes: the one that goes against the rest of the code.
        var order = Enumerable.Range(0, cycle.Length).Select(i => (chosen + i) % cycle.Length).ToList();
        var name = LockOrderDiagnostics.Namer(cycle.Select(e => e.From));
        string orders = string.Join("; ", order.Select(i => LockOrderDiagnostics.DescribeOrder(sites[i][0], name, sites[i].Count - 1)));

        IReadOnlyCollection<LockOrderSite> fixSites = fix switch
        {
            "Reorder" => sites[chosen].ToList(),
            "AcquireInOrder" => sites.SelectMany(s => s).ToList(),
            _ => [],
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
    /// The order to change. Reversing an edge is a fix when every place that takes it is a pair of nested scopes that
    /// can trade places, and no other path in the graph leads the same way (otherwise the reversed edge closes a new
    /// cycle). Among such edges the one taken in the fewest places, and among those the one written last, is the odd
    /// one out. When no edge can be reversed but every order of the cycle is a pair of nested lock statements, all of
    /// them together can become Locks.AcquireInOrder, which takes locks in one global order; converting only some
    /// would leave the others free to take the opposite order.
    /// </summary>
    private static int ChooseEdgeToFix(LockOrderGraph graph, ImmutableArray<(LockIdentity From, LockIdentity To)> cycle, List<IReadOnlyList<LockOrderSite>> sites, bool hasAcquireInOrder, out string? fix)
    {
        int best = -1;
        for (int i = 0; i < cycle.Length; i++)
        {
            bool reversible = sites[i].All(s => s.IsNested && NestedAcquisitions.CanSwap(s.Outer.Syntax, s.Inner.Syntax))
                && LockOrderDiagnostics.InOneDocument(sites[i])
                && !graph.HasOtherPath(cycle[i].From, cycle[i].To);
            if (reversible && (best < 0 || IsOddOneOut(sites[i], sites[best])))
                best = i;
        }

        if (best >= 0)
        {
            fix = "Reorder";
            return best;
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
        fix = combinable ? "AcquireInOrder" : null;
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
