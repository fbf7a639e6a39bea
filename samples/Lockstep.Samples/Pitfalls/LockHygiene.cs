using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

// Lock hygiene (LS5002, LS5003): "the lock must be placed
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
        ("acquire-release",
            "The classic mutex.acquire() ... mutex.release() around a purchase, written as Monitor.Enter/Monitor.Exit. One buyer's "
            + "card is declined and throws between the two calls: the release never runs and the other buyers wait for a lock "
            + "nobody will release (the runner gives up after half a second). As a lock statement the exception releases it.",
            AcquireReleaseTicketOffice.RunAsync),
    };
}

/// <summary>The classic ticket office, with the sleep moved inside the lock.</summary>
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

/// <summary>The classic acquire/release ticket purchase, with an exception between acquire and release.</summary>
public sealed class AcquireReleaseTicketOffice
{
    private readonly object _mutex = new();
    private int _tickets = 10;
    private int _sold;
    private int _declined;

    public static Task RunAsync()
    {
        var office = new AcquireReleaseTicketOffice();
        var buyers = new List<Thread>();
        for (int i = 0; i < 10; i++)
        {
            int buyer = i;
            // Background threads: a buyer stuck on a lock that is never released must not keep the process alive.
            var thread = new Thread(() => office.TryBuy(buyer)) { IsBackground = true };
            thread.Start();
            buyers.Add(thread);
        }

        var deadline = Stopwatch.StartNew();
        int waiting = 0;
        foreach (var thread in buyers)
        {
            var left = TimeSpan.FromMilliseconds(500) - deadline.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                waiting++;
        }

        Console.WriteLine($"sold {Volatile.Read(ref office._sold)}, declined {Volatile.Read(ref office._declined)}, {waiting} buyers still waiting for the lock");
        return Task.CompletedTask;
    }

    private void TryBuy(int buyer)
    {
        try
        {
            Buy(buyer);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Increment(ref _declined);
        }
    }

    private void Buy(int buyer)
    {
        Monitor.Enter(_mutex); // LS5001
        if (buyer == 3)
            throw new InvalidOperationException("card declined");
        if (_tickets > 0)
        {
            _tickets--;
            _sold++;
        }

        Monitor.Exit(_mutex);
    }
}
