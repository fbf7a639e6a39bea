using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

// Lock hygiene (LS5002, LS5003), ported from the Python threading lessons in shared/seeds: "the lock must be placed
// in the operation data layer" — mutex.acquire() around the data operation only, never around the slow part.
//
// Pitfalls/LockHygiene.cs holds the program as first written; every line Lockstep flags ends with the ID it reports.
// Fixed/LockHygiene.cs is this file after Lockstep's code fixes, and nothing else: a test applies the fixes and
// compares. The file stays within C# 11 so that the tests, which parse it with the Roslyn floor (4.5), can read it.
namespace Lockstep.Samples.Pitfalls;

/// <summary>The programs of this family, as the runner lists them.</summary>
public static class LockHygiene
{
    public static IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs { get; } = new (string, string, Func<Task>)[]
    {
        ("slow-ticket-office",
            "Ten clerks sell ten tickets; each sale first 'talks to the customer' for 100 ms. With the talk inside the lock the "
            + "clerks work one at a time (about 1 s); with the talk before the lock they overlap (about 0.1 s). The office also "
            + "locks on 'this', which any code holding the office could lock too; the fix gives it a private lock object.",
            SlowTicketOffice.RunAsync),
    };
}

/// <summary>The seed's ticket office, with the sleep moved inside the lock.</summary>
public sealed class SlowTicketOffice
{
    private int _tickets = 10;
    private int _sold;

    public static Task RunAsync()
    {
        var office = new SlowTicketOffice();
        var clerks = new List<Thread>();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 10; i++)
        {
            var clerk = new Thread(office.Sell);
            clerk.Start();
            clerks.Add(clerk);
        }

        foreach (var clerk in clerks)
            clerk.Join();

        Console.WriteLine($"sold {office._sold} tickets, {office._tickets} left, in {watch.Elapsed.TotalSeconds:F2} s");
        return Task.CompletedTask;
    }

    private void Sell()
    {
        lock (this) // LS5003
        {
            Thread.Sleep(100); // LS5002
            if (_tickets > 0)
            {
                _tickets--;
                _sold++;
            }
        }
    }
}
