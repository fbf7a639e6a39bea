using System.Threading;
using System.Threading.Tasks;
using Microsoft.Coyote.Specifications;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

/// <summary>
/// <see cref="OrderedLock"/>, <see cref="LockOrderGraph"/> and <see cref="Locks.AcquireInOrder"/> under every
/// interleaving Coyote explores. Coyote reports a real deadlock as a bug, so these tests also prove deadlock freedom.
/// </summary>
public sealed class LockOrderingSystematicTests
{
    private readonly ITestOutputHelper _output;

    public LockOrderingSystematicTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void An_inversion_between_two_threads_is_refused_before_it_can_deadlock_and_reported_once() => Systematic.Run(_output, async () =>
    {
        // Whichever thread closes the cycle is refused (Throw) before it waits, so the two can never deadlock, and
        // exactly one potential deadlock is reported, whatever the interleaving.
        var graph = new LockOrderGraph(LockOrderPolicy.Throw);
        var x = new OrderedLock("X", rank: null, graph);
        var y = new OrderedLock("Y", rank: null, graph);
        int refused = 0;
        int reported = 0;
        graph.Reported += _ => Interlocked.Increment(ref reported);

        void Take(OrderedLock first, OrderedLock second)
        {
            using (first.EnterScope())
            {
                try
                {
                    using (second.EnterScope())
                    {
                    }
                }
                catch (LockOrderViolationException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }

        await Systematic.All(Task.Run(() => Take(x, y)), Task.Run(() => Take(y, x)));

        Specification.Assert(refused == 1, $"{refused} acquisitions refused, expected exactly 1");
        Specification.Assert(reported == 1 && graph.GetReports().Count == 1, $"{reported} reports, expected exactly 1");
    });

    [Fact]
    public void AcquireInOrder_with_arguments_in_opposite_orders_never_deadlocks_and_excludes() => Systematic.Run(_output, async () =>
    {
        var graph = new LockOrderGraph(LockOrderPolicy.Throw);
        var a = new OrderedLock("account", rank: null, graph);
        var b = new OrderedLock("account", rank: null, graph);
        object monitor = new object();
        int holders = 0;
        int transfers = 0;

        void Transfer(object from, object to)
        {
            using (Locks.AcquireInOrder(from, to, monitor))
            {
                holders++;
                Specification.Assert(holders == 1, $"{holders} transfers inside the locks at once");
                transfers++;
                holders--;
            }
        }

        await Systematic.All(Task.Run(() => Transfer(a, b)), Task.Run(() => Transfer(b, a)), Task.Run(() => Transfer(a, b)));

        Specification.Assert(transfers == 3, $"{transfers} of 3 transfers");
        Specification.Assert(graph.GetReports().Count == 0, "AcquireInOrder's own locks were reported against each other");
    });

    [Fact]
    public void Threads_learning_the_same_orders_concurrently_report_nothing_and_agree_on_the_graph() => Systematic.Run(_output, async () =>
    {
        var graph = new LockOrderGraph(LockOrderPolicy.Throw);
        var first = new OrderedLock("first", rank: 1, graph);
        var second = new OrderedLock("second", rank: 2, graph);
        var third = new OrderedLock("third", rank: 3, graph);

        void Nest()
        {
            using (first.EnterScope())
            using (second.EnterScope())
            using (third.EnterScope())
            {
            }
        }

        await Systematic.All(Task.Run(Nest), Task.Run(Nest));

        Specification.Assert(graph.GetReports().Count == 0, "consistent orders were reported");
        Specification.Assert(graph.EdgeCount == 3, $"{graph.EdgeCount} edges learnt, expected 3 (first→second, first→third, second→third)");
    });
}
