using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2003: a lock is taken while another is held, directly or through calls, in the order that <c>[AcquiredBefore]</c>,
/// <c>[AcquiredAfter]</c> or <c>OrderedLock</c> ranks forbid. Reported at each place that does so, with no cycle needed:
/// the declaration says what the rest of the program may do.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOrderContradictsDeclaredOrderAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LockOrderContradictsDeclaredOrder, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        LockOrderDiagnostics.Register(context, static (end, graph, catalogue) =>
        {
            var declared = new DeclaredLockOrder(catalogue.Types);
            if (declared.IsEmpty)
                return; // no runtime library: nothing can declare an order

            foreach (var edge in graph.Edges)
            {
                if (declared.Contradiction(edge.Key.From, edge.Key.To) is not { } reason)
                    continue;

                // Orders that close through a wait for other code are LS2001's alone: this rule's message says where the
                // second lock is taken while the first is held, and through a wait it is taken by another thread.
                var sites = edge.Value.Where(s => !s.IsWait).ToList();
                if (sites.Count == 0)
                    continue;

                // Every place that takes the contradicting order trades places at once, and only when no other path leads
                // the same way: reversing some of them, or one with another path beside it, would close a cycle (LS2001).
                var name = LockOrderDiagnostics.Namer(new[] { edge.Key.From, edge.Key.To });
                bool reorder = sites.Count == edge.Value.Count
                    && sites.All(s => s.IsNested && NestedAcquisitions.CanSwap(s.Outer.Syntax, s.Inner.Syntax))
                    && LockOrderDiagnostics.InOneDocument(sites)
                    && !graph.HasOtherPath(edge.Key.From, edge.Key.To);
                foreach (var site in sites)
                {
                    IReadOnlyCollection<LockOrderSite> fixSites = reorder ? sites : [];
                    var (additional, pairs) = LockOrderDiagnostics.Locations(site.Location, new[] { site }, fixSites);
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.LockOrderContradictsDeclaredOrder,
                        site.Location,
                        additional,
                        LockOrderDiagnostics.FixProperties(reorder ? LockOrderFixKind.Reorder : null, pairs),
                        name(site.To),
                        name(site.From),
                        LockOrderDiagnostics.FunctionName(site.Function) + LockOrderDiagnostics.Via(site),
                        reason));
                }
            }
        });
    }
}
