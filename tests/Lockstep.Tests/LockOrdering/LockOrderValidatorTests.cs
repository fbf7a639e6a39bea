using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Lockstep.Tests.LockOrdering;

/// <summary>
/// <see cref="LockOrderValidator"/>: every injected inversion is reported at its first observation, with both sites,
/// before any real deadlock; consistent orders report nothing; Throw refuses the acquisition and leaves the lock free.
/// </summary>
[Collection(ValidatorCollection.Name)]
public sealed class LockOrderValidatorTests : ValidatorTestBase
{
    private const string ThisFile = "LockOrderValidatorTests.cs";

    private readonly List<PotentialDeadlock> _reported = new();

    private void Start(LockOrderPolicy policy)
    {
        LockOrderValidator.Policy = policy;
        LockOrderValidator.Reported += r =>
        {
            lock (_reported)
                _reported.Add(r);
        };
    }

    private PotentialDeadlock[] Reported
    {
        get
        {
            lock (_reported)
                return _reported.ToArray();
        }
    }

    [Fact]
    public void Two_lock_inversion_is_reported_at_its_first_observation_with_both_sites()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("two.X");
        var y = new OrderedLock("two.Y");
        int xFirst, yFirst, ySecond, xSecond;

        xFirst = Line(); using (x.EnterScope())
        {
            yFirst = Line(); using (y.EnterScope()) { }
        }

        Assert.Empty(Reported);
        Assert.Equal(1, LockOrderValidator.EdgeCount);

        ySecond = Line(); using (y.EnterScope())
        {
            Assert.Empty(Reported);
            xSecond = Line(); using (x.EnterScope())
            {
                // Reported before the lock was taken, on the inverted acquisition itself.
                PotentialDeadlock report = Assert.Single(Reported);
                Assert.Equal(PotentialDeadlockKind.LockOrderCycle, report.Kind);
                Assert.Equal(new[] { "two.Y", "two.X" }, report.LockNames);
                Assert.Equal(2, report.Edges.Count);

                LockOrderEdge now = report.Edges[0];
                Assert.Equal(("two.Y", "two.X"), (now.HeldLockName, now.AcquiredLockName));
                AssertSite(now.HeldAt, nameof(Two_lock_inversion_is_reported_at_its_first_observation_with_both_sites), ySecond);
                AssertSite(now.AcquiredAt, nameof(Two_lock_inversion_is_reported_at_its_first_observation_with_both_sites), xSecond);
                Assert.Equal(Environment.CurrentManagedThreadId, now.ThreadId);

                LockOrderEdge before = report.Edges[1];
                Assert.Equal(("two.X", "two.Y"), (before.HeldLockName, before.AcquiredLockName));
                AssertSite(before.HeldAt, nameof(Two_lock_inversion_is_reported_at_its_first_observation_with_both_sites), xFirst);
                AssertSite(before.AcquiredAt, nameof(Two_lock_inversion_is_reported_at_its_first_observation_with_both_sites), yFirst);

                Assert.StartsWith("Potential deadlock: lock order cycle 'two.Y' → 'two.X' → 'two.Y'.", report.Message);
                foreach (int line in new[] { xFirst, yFirst, ySecond, xSecond })
                    Assert.Contains($"({ThisFile}:{line})", report.Message);
                Assert.Equal(report.Message, report.ToString());
            }
        }

        Assert.Equal(Reported, LockOrderValidator.GetReports());
    }

    [Fact]
    public void Inversion_across_two_threads_is_reported_without_them_ever_running_together()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("threads.X");
        var y = new OrderedLock("threads.Y");

        int first = Workers.OnOtherThread(() =>
        {
            using (x.EnterScope())
            using (y.EnterScope())
                return Environment.CurrentManagedThreadId;
        });
        Assert.Empty(Reported);

        int second = Workers.OnOtherThread(() =>
        {
            using (y.EnterScope())
            using (x.EnterScope())
                return Environment.CurrentManagedThreadId;
        });

        PotentialDeadlock report = Assert.Single(Reported);
        Assert.Equal(new[] { "threads.Y", "threads.X" }, report.LockNames);
        Assert.Equal(second, report.Edges[0].ThreadId);
        Assert.Equal(first, report.Edges[1].ThreadId);
        Assert.All(report.Edges, e => Assert.True(e.HeldAt.HasLocation && e.AcquiredAt.HasLocation));
    }

    [Fact]
    public void Three_lock_cycle_across_three_threads_is_reported_when_it_closes()
    {
        Start(LockOrderPolicy.Report);
        var a = new OrderedLock("three.A");
        var b = new OrderedLock("three.B");
        var c = new OrderedLock("three.C");

        int t1 = Nested(a, b);
        int t2 = Nested(b, c);
        Assert.Empty(Reported);
        int t3 = Nested(c, a);

        PotentialDeadlock report = Assert.Single(Reported);
        Assert.Equal(PotentialDeadlockKind.LockOrderCycle, report.Kind);
        Assert.Equal(new[] { "three.C", "three.A", "three.B" }, report.LockNames);
        Assert.Equal(
            new[] { ("three.C", "three.A", t3), ("three.A", "three.B", t1), ("three.B", "three.C", t2) },
            report.Edges.Select(e => (e.HeldLockName, e.AcquiredLockName, e.ThreadId)));
        Assert.All(report.Edges, e =>
        {
            // Caller information names the member that contains the lambda.
            Assert.Equal(nameof(Three_lock_cycle_across_three_threads_is_reported_when_it_closes), e.HeldAt.MemberName);
            Assert.Equal(e.HeldAt.LineNumber + 1, e.AcquiredAt.LineNumber);
        });
        Assert.Contains("'three.C' → 'three.A' → 'three.B' → 'three.C'", report.Message);

        static int Nested(OrderedLock outer, OrderedLock inner) => Workers.OnOtherThread(() =>
        {
            using (outer.EnterScope())
            using (inner.EnterScope())
                return Environment.CurrentManagedThreadId;
        });
    }

    [Fact]
    public void Cycle_through_locks_held_further_down_the_stack_is_found()
    {
        Start(LockOrderPolicy.Report);
        var a = new OrderedLock("deep.A");
        var b = new OrderedLock("deep.B");
        var c = new OrderedLock("deep.C");

        using (a.EnterScope())
        using (b.EnterScope())
        using (c.EnterScope()) { }

        Assert.Equal(3, LockOrderValidator.EdgeCount); // A→B, A→C, B→C: every held lock precedes the new one
        Assert.Empty(Reported);

        using (c.EnterScope())
        using (a.EnterScope()) { }

        PotentialDeadlock report = Assert.Single(Reported);
        Assert.Equal(new[] { "deep.C", "deep.A" }, report.LockNames); // the shortest cycle: A→C was seen directly
    }

    [Fact]
    public void Each_cycle_is_reported_once()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("once.X");
        var y = new OrderedLock("once.Y");

        for (int i = 0; i < 5; i++)
        {
            using (x.EnterScope())
            using (y.EnterScope()) { }
            using (y.EnterScope())
            using (x.EnterScope()) { }
        }

        Assert.Single(Reported);
        Assert.Single(LockOrderValidator.GetReports());
        Assert.Equal(2, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void Rank_inversion_is_reported_with_both_ranks_and_sites()
    {
        Start(LockOrderPolicy.Report);
        var low = new OrderedLock("rank.low", rank: 1);
        var high = new OrderedLock("rank.high", rank: 2);

        using (low.EnterScope())
        using (high.EnterScope()) { }
        Assert.Empty(Reported);

        int highLine, lowLine;
        highLine = Line(); using (high.EnterScope())
        {
            lowLine = Line(); using (low.EnterScope()) { }
        }

        PotentialDeadlock report = Assert.Single(Reported);
        Assert.Equal(PotentialDeadlockKind.RankInversion, report.Kind);
        Assert.Equal(new[] { "rank.high", "rank.low" }, report.LockNames);
        LockOrderEdge edge = Assert.Single(report.Edges);
        Assert.Equal((2, 1), (edge.HeldLockRank, edge.AcquiredLockRank));
        AssertSite(edge.HeldAt, nameof(Rank_inversion_is_reported_with_both_ranks_and_sites), highLine);
        AssertSite(edge.AcquiredAt, nameof(Rank_inversion_is_reported_with_both_ranks_and_sites), lowLine);
        Assert.StartsWith("Potential deadlock: lock rank inversion: 'rank.low' (rank 1) acquired while holding 'rank.high' (rank 2)", report.Message);
    }

    [Fact]
    public void Rank_inversion_is_reported_on_first_observation_even_without_a_cycle()
    {
        Start(LockOrderPolicy.Report);
        var low = new OrderedLock("rank-first.low", rank: 10);
        var high = new OrderedLock("rank-first.high", rank: 20);

        using (high.EnterScope())
        using (low.EnterScope()) { }

        Assert.Equal(PotentialDeadlockKind.RankInversion, Assert.Single(Reported).Kind);
    }

    [Fact]
    public void Equal_ranks_nested_are_an_inversion()
    {
        Start(LockOrderPolicy.Report);
        var first = new OrderedLock("equal.first", rank: 5);
        var second = new OrderedLock("equal.second", rank: 5);

        using (first.EnterScope())
        using (second.EnterScope()) { }

        Assert.Equal(PotentialDeadlockKind.RankInversion, Assert.Single(Reported).Kind);
    }

    [Fact]
    public void Increasing_ranks_and_unranked_locks_mixed_in_are_fine()
    {
        Start(LockOrderPolicy.Throw);
        var r1 = new OrderedLock("mixed.r1", rank: 1);
        var u = new OrderedLock("mixed.u");
        var r2 = new OrderedLock("mixed.r2", rank: 2);

        using (r1.EnterScope())
        using (u.EnterScope())
        using (r2.EnterScope()) { }

        Assert.Empty(Reported);
    }

    [Fact]
    public void Throw_refuses_the_inverted_acquisition_and_leaves_that_lock_free()
    {
        Start(LockOrderPolicy.Throw);
        var x = new OrderedLock("throw.X");
        var y = new OrderedLock("throw.Y");

        using (x.EnterScope())
        using (y.EnterScope()) { }

        using (y.EnterScope())
        {
            var e = Assert.Throws<LockOrderViolationException>(() => x.EnterScope());
            Assert.Equal(PotentialDeadlockKind.LockOrderCycle, e.Violation.Kind);
            Assert.Equal(new[] { "throw.Y", "throw.X" }, e.Violation.LockNames);
            Assert.Equal(e.Violation.Message, e.Message);
            Assert.IsAssignableFrom<InvalidOperationException>(e);

            Assert.False(x.IsHeldByCurrentThread);
            Assert.True(Workers.OnOtherThread(() => TryOnce(x)));
            Assert.True(y.IsHeldByCurrentThread);

            // Refused every time, reported once, and never learnt.
            Assert.Throws<LockOrderViolationException>(() => x.EnterScope());
            Assert.Throws<LockOrderViolationException>(() => x.TryEnterScope(Timeout.InfiniteTimeSpan, out _));
            Assert.Single(Reported);
            Assert.Equal(1, LockOrderValidator.EdgeCount);
        }

        Assert.False(y.IsHeldByCurrentThread);
        using (x.EnterScope())
        using (y.EnterScope()) { }
        Assert.Single(Reported);
    }

    [Fact]
    public void Throw_refuses_a_rank_inversion()
    {
        Start(LockOrderPolicy.Throw);
        var low = new OrderedLock("throw-rank.low", rank: 1);
        var high = new OrderedLock("throw-rank.high", rank: 2);

        using (high.EnterScope())
        {
            var e = Assert.Throws<LockOrderViolationException>(() => low.EnterScope());
            Assert.Equal(PotentialDeadlockKind.RankInversion, e.Violation.Kind);
            Assert.False(low.IsHeldByCurrentThread);
        }

        Assert.False(high.IsHeldByCurrentThread);
        Assert.Equal(0, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void Throw_prevents_a_real_deadlock_between_two_threads_taking_two_locks_in_opposite_orders()
    {
        const int Iterations = 2_000;
        Start(LockOrderPolicy.Throw);
        var x = new OrderedLock("race.X");
        var y = new OrderedLock("race.Y");
        var refused = new int[2];

        // Whichever order is learnt first wins; from then on every attempt of the other order is refused before it
        // waits, so the two threads can never hold one lock each while waiting for the other.
        Workers.Run(2, thread =>
        {
            OrderedLock first = thread == 0 ? x : y;
            OrderedLock second = thread == 0 ? y : x;
            for (int i = 0; i < Iterations; i++)
            {
                using (first.EnterScope())
                {
                    try
                    {
                        using (second.EnterScope()) { }
                    }
                    catch (LockOrderViolationException)
                    {
                        refused[thread]++;
                    }
                }
            }
        });

        Assert.Contains((refused[0], refused[1]), new[] { (0, Iterations), (Iterations, 0) });
        Assert.Single(Reported);
        Assert.Equal(1, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void Reentry_is_not_an_inversion()
    {
        Start(LockOrderPolicy.Throw);
        var x = new OrderedLock("reentry.X");
        var y = new OrderedLock("reentry.Y");

        using (x.EnterScope())
        using (y.EnterScope())
        using (x.EnterScope())
        using (y.EnterScope())
        using (x.EnterScope()) { }

        Assert.Empty(Reported);
        Assert.Equal(1, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void Two_locks_of_one_class_nested_are_reported()
    {
        Start(LockOrderPolicy.Report);
        var first = new OrderedLock("account");
        var second = new OrderedLock("account");

        using (first.EnterScope())
        using (second.EnterScope()) { }

        PotentialDeadlock report = Assert.Single(Reported);
        Assert.Equal(PotentialDeadlockKind.LockOrderCycle, report.Kind);
        Assert.Equal(new[] { "account" }, report.LockNames);
        Assert.Equal(("account", "account"), (report.Edges[0].HeldLockName, report.Edges[0].AcquiredLockName));
        Assert.Contains("two locks of class 'account'", report.Message);
    }

    [Fact]
    public void Two_locks_of_one_class_are_fine_through_AcquireInOrder_or_increasing_ranks()
    {
        Start(LockOrderPolicy.Throw);
        var a1 = new OrderedLock("ledger");
        var a2 = new OrderedLock("ledger");
        var parent = new OrderedLock("node", rank: 1);
        var child = new OrderedLock("node", rank: 2);

        using (Locks.AcquireInOrder(a2, a1)) { }
        using (Locks.AcquireInOrder(a1, a2)) { }
        using (parent.EnterScope())
        using (child.EnterScope()) { }

        Assert.Empty(Reported);
        Assert.Equal(0, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void AcquireInOrder_takes_ranked_locks_first_by_rank_then_the_rest_by_id()
    {
        Start(LockOrderPolicy.Report);
        var u1 = new OrderedLock("order.u1");
        var r3 = new OrderedLock("order.r3", rank: 3);
        var u2 = new OrderedLock("order.u2");
        var r1 = new OrderedLock("order.r1", rank: 1);
        var r2 = new OrderedLock("order.r2", rank: 2);

        using (Locks.AcquireInOrder(u2, r3, u1, r2, r1))
        {
            HeldLocks held = HeldLocks.CurrentOrNull!;
            Assert.Equal(
                new[] { r1, r2, r3, u1, u2 },
                held.Entries.Take(held.Count).Select(e => e.Lock));
            Assert.All(held.Entries.Take(held.Count), e => Assert.Equal("Locks.AcquireInOrder", e.Site.MemberName));
        }

        Assert.Equal(0, HeldLocks.CurrentOrNull!.Count);
        Assert.Empty(Reported);
    }

    [Fact]
    public void AcquireInOrder_is_checked_against_the_locks_held_before_and_taken_inside_it()
    {
        Start(LockOrderPolicy.Report);
        var p = new OrderedLock("batch.P");
        var x = new OrderedLock("batch.X");
        var y = new OrderedLock("batch.Y");
        var q = new OrderedLock("batch.Q");

        using (p.EnterScope())
        using (Locks.AcquireInOrder(x, y))
        using (q.EnterScope()) { }

        // P→X, P→Y, P→Q, X→Q, Y→Q; nothing between X and Y.
        Assert.Equal(5, LockOrderValidator.EdgeCount);

        using (q.EnterScope())
        using (Locks.AcquireInOrder(y, x)) { }

        // Both locks of the call are taken after Q, and both were seen before it: two cycles, one report each.
        Assert.Equal(
            new[] { "batch.Q batch.X", "batch.Q batch.Y" },
            Reported.Select(r => string.Join(" ", r.LockNames)));
        AcquisitionSite site = Reported[0].Edges[0].AcquiredAt;
        Assert.Equal("Locks.AcquireInOrder", site.MemberName);
        Assert.False(site.HasLocation);
        Assert.Equal("Locks.AcquireInOrder", site.ToString());
    }

    [Fact]
    public void AcquireInOrder_releases_what_it_took_when_an_acquisition_is_refused()
    {
        Start(LockOrderPolicy.Throw);
        var plain = new object();
        long plainId = Locks.GetOrderId(plain); // before x exists: a smaller id, so plain is taken first
        var x = new OrderedLock("refused.X");
        var y = new OrderedLock("refused.Y");
        Assert.True(plainId < Locks.GetOrderId(x));

        using (x.EnterScope())
        using (y.EnterScope()) { }

        using (y.EnterScope())
        {
            var e = Assert.Throws<LockOrderViolationException>(() => Locks.AcquireInOrder(x, plain));
            Assert.Equal(new[] { "refused.Y", "refused.X" }, e.Violation.LockNames);
            Assert.False(Monitor.IsEntered(plain));
            Assert.False(x.IsHeldByCurrentThread);
            Assert.True(y.IsHeldByCurrentThread);
        }
    }

    [Fact]
    public void TryEnterScope_with_a_finite_timeout_is_not_checked_but_is_held()
    {
        Start(LockOrderPolicy.Throw);
        var x = new OrderedLock("try.X");
        var y = new OrderedLock("try.Y");
        var z = new OrderedLock("try.Z");

        using (x.EnterScope())
        using (y.EnterScope()) { }

        using (y.EnterScope())
        {
            Assert.True(x.TryEnterScope(TimeSpan.Zero, out OrderedLock.Scope scope));
            using (scope)
            using (z.EnterScope()) { }
        }

        Assert.Empty(Reported);
        Assert.Equal(3, LockOrderValidator.EdgeCount); // X→Y, Y→Z, X→Z; not Y→X
    }

    [Fact]
    public void Consistent_order_on_eight_threads_reports_nothing()
    {
        const int Threads = 8;
        const int Iterations = 2_000;
        Start(LockOrderPolicy.Throw);
        OrderedLock[] locks = Enumerable.Range(0, 4).Select(i => new OrderedLock("consistent." + i)).ToArray();
        var counters = new long[locks.Length];
        var expected = new long[Threads, locks.Length];

        Workers.Run(Threads, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < Iterations; i++)
            {
                // A random subset, always nested in index order.
                int[] subset = Enumerable.Range(0, locks.Length).Where(_ => random.Next(2) == 0).ToArray();
                foreach (int index in subset)
                    expected[thread, index]++;
                Nest(subset, 0);
            }
        });

        Assert.Empty(Reported);
        Assert.Empty(LockOrderValidator.GetReports());
        Assert.InRange(LockOrderValidator.EdgeCount, 1, 6); // at most one edge per ordered pair of the 4 classes
        for (int index = 0; index < locks.Length; index++)
            Assert.Equal(Enumerable.Range(0, Threads).Sum(t => expected[t, index]), counters[index]);

        void Nest(int[] subset, int at)
        {
            if (at == subset.Length)
                return;
            int index = subset[at];
            using (locks[index].EnterScope())
            {
                counters[index]++;
                Nest(subset, at + 1);
            }
        }
    }

    [Fact]
    public void AcquireInOrder_in_any_argument_order_on_eight_threads_reports_nothing()
    {
        const int Threads = 8;
        const int Iterations = 1_000;
        Start(LockOrderPolicy.Throw);
        var locks = new object[]
        {
            new OrderedLock("any-order.a"), new OrderedLock("any-order.b"), new OrderedLock("any-order.c"),
            new OrderedLock("any-order.ranked", rank: 1), new object(),
        };

        Workers.Run(Threads, thread =>
        {
            var random = new Random(100 + thread);
            for (int i = 0; i < Iterations; i++)
            {
                object[] subset = locks.Where(_ => random.Next(2) == 0).OrderBy(_ => random.Next()).ToArray();
                using (Locks.AcquireInOrder(subset)) { }
            }
        });

        Assert.Empty(Reported);
        Assert.Equal(0, LockOrderValidator.EdgeCount);
    }

    [Fact]
    public void Off_records_and_reports_nothing()
    {
        var x = new OrderedLock("off.X");
        var y = new OrderedLock("off.Y");
        LockOrderValidator.Reported += _lock => Assert.Fail("reported with the policy off");

        using (x.EnterScope())
        using (y.EnterScope()) { }
        using (y.EnterScope())
        using (x.EnterScope()) { }

        Assert.Equal(LockOrderPolicy.Off, LockOrderValidator.Policy);
        Assert.Equal(0, LockOrderValidator.EdgeCount);
        Assert.Empty(LockOrderValidator.GetReports());
    }

    [Fact]
    public void Locks_taken_while_the_policy_was_off_are_released_normally_after_it_is_switched_on()
    {
        var x = new OrderedLock("switch.X");
        var y = new OrderedLock("switch.Y");

        OrderedLock.Scope outer = x.EnterScope();
        Start(LockOrderPolicy.Report);
        using (y.EnterScope()) { }
        outer.Dispose();

        Assert.False(x.IsHeldByCurrentThread);
        Assert.Equal(0, LockOrderValidator.EdgeCount); // x was not on the stack
        Assert.True(HeldLocks.CurrentOrNull is null || HeldLocks.CurrentOrNull.Count == 0);

        OrderedLock.Scope tracked = x.EnterScope();
        LockOrderValidator.Policy = LockOrderPolicy.Off;
        tracked.Dispose();
        Assert.Equal(0, HeldLocks.CurrentOrNull!.Count);
    }

    [Fact]
    public void Policy_rejects_undefined_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LockOrderValidator.Policy = (LockOrderPolicy)3);
        Assert.Equal(LockOrderPolicy.Off, LockOrderValidator.Policy);
    }

    [Fact]
    public void Reset_forgets_edges_reports_policy_and_handlers()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("reset.X");
        var y = new OrderedLock("reset.Y");
        using (x.EnterScope())
        using (y.EnterScope()) { }
        using (y.EnterScope())
        using (x.EnterScope()) { }
        Assert.Single(Reported);

        LockOrderValidator.Reset();

        Assert.Equal(LockOrderPolicy.Off, LockOrderValidator.Policy);
        Assert.Equal(0, LockOrderValidator.EdgeCount);
        Assert.Empty(LockOrderValidator.GetReports());

        LockOrderValidator.Policy = LockOrderPolicy.Report;
        using (y.EnterScope())
        using (x.EnterScope()) { }
        using (x.EnterScope())
        using (y.EnterScope()) { }
        Assert.Single(LockOrderValidator.GetReports()); // reported again after the reset...
        Assert.Single(Reported); // ...but not to the handler removed by it
    }

    [Fact]
    public void An_exception_from_a_handler_propagates_and_the_lock_is_not_taken()
    {
        LockOrderValidator.Policy = LockOrderPolicy.Report;
        LockOrderValidator.Reported += _ => throw new TimeoutException("handler failed");
        var x = new OrderedLock("handler.X");
        var y = new OrderedLock("handler.Y");
        using (x.EnterScope())
        using (y.EnterScope()) { }

        using (y.EnterScope())
        {
            Assert.Throws<TimeoutException>(() => x.EnterScope());
            Assert.False(x.IsHeldByCurrentThread);
        }
    }

    [Fact]
    public void Edges_are_capped_and_the_cap_is_visible()
    {
        int limit = LockOrderGraph.Global.EdgeLimit;
        try
        {
            LockOrderGraph.Global.EdgeLimit = 2;
            Start(LockOrderPolicy.Report);
            var a = new OrderedLock("cap.A");
            OrderedLock[] others = { new("cap.B"), new("cap.C"), new("cap.D") };

            foreach (OrderedLock other in others)
            {
                using (a.EnterScope())
                using (other.EnterScope()) { }
            }

            Assert.Equal(2, LockOrderValidator.EdgeCount);
            Assert.True(LockOrderValidator.IsSaturated);

            // New orders are no longer learnt or checked: D→A closes no known cycle.
            using (others[2].EnterScope())
            using (a.EnterScope()) { }
            Assert.Empty(Reported);
            Assert.Equal(2, LockOrderValidator.EdgeCount);

            LockOrderValidator.Reset();
            Assert.False(LockOrderValidator.IsSaturated);
        }
        finally
        {
            LockOrderGraph.Global.EdgeLimit = limit;
        }
    }

    [Fact]
    public void Locks_beyond_the_class_cap_are_not_validated_but_still_lock()
    {
        int limit = LockOrderGraph.Global.ClassLimit;
        try
        {
            var known = new OrderedLock("class-cap.known");
            LockOrderGraph.Global.ClassLimit = LockOrderValidator.LockClassCount;
            var untracked = new OrderedLock("class-cap.untracked." + Guid.NewGuid());
            var sameName = new OrderedLock("class-cap.known");
            Assert.True(LockOrderValidator.IsSaturated);
            Assert.Null(untracked.Class);
            Assert.Same(known.Class, sameName.Class);

            Start(LockOrderPolicy.Throw);
            using (known.EnterScope())
            using (untracked.EnterScope())
            {
                Assert.True(untracked.IsHeldByCurrentThread);
            }

            using (untracked.EnterScope())
            using (known.EnterScope()) { }

            Assert.Empty(Reported);
            Assert.Equal(0, LockOrderValidator.EdgeCount);
        }
        finally
        {
            LockOrderGraph.Global.ClassLimit = limit;
        }
    }

    [Fact]
    public void Known_orders_are_checked_without_allocating()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("alloc-on.X");
        var y = new OrderedLock("alloc-on.Y");
        for (int i = 0; i < 100; i++)
        {
            using (x.EnterScope())
            using (y.EnterScope()) { }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            using (x.EnterScope())
            using (y.EnterScope())
            using (x.EnterScope()) { }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Reports_from_many_threads_are_deduplicated()
    {
        Start(LockOrderPolicy.Report);
        var x = new OrderedLock("dedupe.X");
        var y = new OrderedLock("dedupe.Y");
        using (x.EnterScope())
        using (y.EnterScope()) { }

        var threads = new ConcurrentBag<int>();
        Workers.Run(8, _ =>
        {
            for (int i = 0; i < 100; i++)
            {
                using (y.EnterScope())
                using (x.EnterScope())
                    threads.Add(Environment.CurrentManagedThreadId);
            }
        });

        Assert.Equal(800, threads.Count);
        Assert.Single(Reported);
    }

    private static void AssertSite(AcquisitionSite site, string member, int line)
    {
        Assert.Equal(member, site.MemberName);
        Assert.EndsWith(ThisFile, site.FilePath);
        Assert.Equal(line, site.LineNumber);
        Assert.True(site.HasLocation);
        Assert.Equal($"{member} ({ThisFile}:{line})", site.ToString());
    }

    private static bool TryOnce(OrderedLock l)
    {
        if (!l.TryEnterScope(TimeSpan.Zero, out OrderedLock.Scope scope))
            return false;
        scope.Dispose();
        return true;
    }

    private static int Line([CallerLineNumber] int line = 0) => line;
}
