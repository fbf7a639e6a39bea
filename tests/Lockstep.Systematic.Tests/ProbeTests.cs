using System.Threading.Tasks;
using Microsoft.Coyote.Specifications;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

public sealed class ProbeTests
{
    private readonly ITestOutputHelper _output;

    public ProbeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Two_tasks_hold_the_lock_one_at_a_time() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        int holders = 0;
        int counter = 0;
        async Task Worker()
        {
            for (int i = 0; i < 2; i++)
            {
                using (await asyncLock.LockAsync())
                {
                    holders++;
                    Specification.Assert(holders == 1, "two holders");
                    int seen = counter;
                    await Task.Yield();
                    counter = seen + 1;
                    holders--;
                }
            }
        }

        Task[] workers = { Task.Run(Worker), Task.Run(Worker), Task.Run(Worker) };
        await Task.WhenAll(workers);
        Specification.Assert(counter == 6, $"counter {counter}");
    }, iterations: 200);
}
