using System.Threading.Tasks;
using Microsoft.Coyote.Specifications;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

/// <summary><see cref="Guarded{T}"/> under every interleaving Coyote explores: no lost update, no lost wake-up.</summary>
public sealed class GuardedSystematicTests
{
    private readonly ITestOutputHelper _output;

    public GuardedSystematicTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Scopes_and_updates_from_several_threads_lose_no_update() => Systematic.Run(_output, async () =>
    {
        var counter = new Guarded<int>(0);

        void ByScope()
        {
            using var scope = counter.Lock();
            int seen = scope.Value;
            scope.Value = seen + 1;
        }

        void ByUpdate() => counter.Update((ref int value) => value++);

        int read = 0;
        await Systematic.All(Task.Run(ByScope), Task.Run(ByUpdate), Task.Run(ByScope), Task.Run(() => read = counter.Read(v => v)));

        int total = counter.Read(v => v);
        Specification.Assert(total == 3, $"total {total}, expected 3: an update was lost");
        Specification.Assert(read >= 0 && read <= 3, $"a reader saw {read}, a value the counter never had");
    });

    [Fact]
    public void A_consumer_waiting_on_the_value_is_always_woken_by_the_producer() => Systematic.Run(_output, async () =>
    {
        // Monitor.Wait/PulseAll are under Coyote's control: a lost wake-up shows up as a deadlock it reports.
        var items = new Guarded<int>(0);

        void Consume()
        {
            for (int taken = 0; taken < 2; taken++)
            {
                using var scope = items.Lock();
                while (scope.Value == 0)
                    scope.Wait();
                scope.Value--;
            }
        }

        void Produce()
        {
            for (int i = 0; i < 2; i++)
            {
                using var scope = items.Lock();
                scope.Value++;
                scope.PulseAll();
            }
        }

        await Systematic.All(Task.Run(Consume), Task.Run(Produce));
        Specification.Assert(items.Read(v => v) == 0, "the consumer did not take every item");
    });
}
