using System;
using System.Collections.Generic;

namespace Lockstep.Tests.LockOrdering;

/// <summary>
/// <see cref="LockOrderGraph"/>: a validator scoped to the locks created with it. These tests run in parallel with the
/// rest, which is the point: a graph shares nothing with the process-wide validator or with another graph.
/// </summary>
public sealed class LockOrderGraphTests
{
    [Fact]
    public void A_graph_reports_an_inversion_among_its_own_locks_whatever_the_global_policy()
    {
        var graph = new LockOrderGraph(LockOrderPolicy.Report);
        var reported = new List<PotentialDeadlock>();
        graph.Reported += reported.Add;
        var x = new OrderedLock("scoped.X", rank: null, graph);
        var y = new OrderedLock("scoped.Y", rank: null, graph);

        using (x.EnterScope())
        using (y.EnterScope())
        {
        }

        using (y.EnterScope())
        using (x.EnterScope())
        {
        }

        PotentialDeadlock report = Assert.Single(reported);
        Assert.Equal(PotentialDeadlockKind.LockOrderCycle, report.Kind);
        Assert.Equal(new[] { report }, graph.GetReports());
        Assert.Equal(2, graph.EdgeCount);
        Assert.Equal(2, graph.LockClassCount);
    }

    [Fact]
    public void Two_graphs_learn_nothing_from_each_other_even_for_locks_of_the_same_names()
    {
        var first = new LockOrderGraph(LockOrderPolicy.Throw);
        var second = new LockOrderGraph(LockOrderPolicy.Throw);
        var a1 = new OrderedLock("shared.A", rank: null, first);
        var b1 = new OrderedLock("shared.B", rank: null, first);
        var a2 = new OrderedLock("shared.A", rank: null, second);
        var b2 = new OrderedLock("shared.B", rank: null, second);

        using (a1.EnterScope())
        using (b1.EnterScope())
        {
        }

        // The opposite order, in the other graph: its own first observation, not an inversion.
        using (b2.EnterScope())
        using (a2.EnterScope())
        {
        }

        Assert.Empty(first.GetReports());
        Assert.Empty(second.GetReports());

        // In the first graph the opposite order is an inversion, and Throw refuses it.
        using (b1.EnterScope())
        {
            Assert.Throws<LockOrderViolationException>(() => a1.EnterScope());
        }

        Assert.Single(first.GetReports());
        Assert.Empty(second.GetReports());
    }

    [Fact]
    public void Locks_of_another_graph_held_at_the_same_time_are_not_ordered_against_this_one()
    {
        var graph = new LockOrderGraph(LockOrderPolicy.Throw);
        var other = new LockOrderGraph(LockOrderPolicy.Throw);
        var mine = new OrderedLock("mixed.mine", rank: 2, graph);
        var theirs = new OrderedLock("mixed.theirs", rank: 1, other);

        using (mine.EnterScope())
        using (theirs.EnterScope()) // a lower rank, but in another graph: no rank inversion
        {
        }

        Assert.Equal(0, graph.EdgeCount);
        Assert.Equal(0, other.EdgeCount);
        Assert.Empty(graph.GetReports());
    }

    [Fact]
    public void Reset_forgets_one_graph_only()
    {
        var graph = new LockOrderGraph(LockOrderPolicy.Report);
        var kept = new LockOrderGraph(LockOrderPolicy.Report);
        foreach (var g in new[] { graph, kept })
        {
            var x = new OrderedLock("reset.X", rank: null, g);
            var y = new OrderedLock("reset.Y", rank: null, g);
            using (x.EnterScope())
            using (y.EnterScope())
            {
            }
        }

        graph.Reset();

        Assert.Equal(0, graph.EdgeCount);
        Assert.Equal(LockOrderPolicy.Off, graph.Policy);
        Assert.Equal(1, kept.EdgeCount);
        Assert.Equal(LockOrderPolicy.Report, kept.Policy);
    }

    [Fact]
    public void Constructor_checks_its_arguments_and_locks_without_a_graph_belong_to_the_global_one()
    {
        Assert.Throws<ArgumentNullException>("graph", () => new OrderedLock("no-graph", rank: null, graph: null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LockOrderGraph((LockOrderPolicy)42));
        Assert.Equal(LockOrderPolicy.Off, new LockOrderGraph().Policy);
        Assert.Same(LockOrderGraph.Global, new OrderedLock("global-graph").Graph);
    }
}
