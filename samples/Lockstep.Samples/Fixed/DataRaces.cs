using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Lockstep;

// Data races (LS1001-LS1006): the ticket office that
// sells its one ticket to every buyer, "a global lock does not protect your data" (count = num; sleep; num = count - 1 on 100
// threads), two threads adding and subtracting a million times, results collected from a pool into a list, and the
// counter whose lock protects the update but not the print; and a cache whose value factory opens a file (LS1006).
//
// Pitfalls/DataRaces.cs holds the programs as first written; every line Lockstep flags ends with the ID it reports.
// Fixed/DataRaces.cs is this file after Lockstep's code fixes, and nothing else: a test applies the fixes and
// compares. So the comments here describe both versions: the race and what replaces it. A rule without a code fix
// (LS1006) leaves its line as it is, ID comment included.
// The file stays within C# 11 so that the tests, which parse it with the Roslyn floor (4.5), can read it.
namespace Lockstep.Samples.Fixed;

/// <summary>The programs of this family, as the runner lists them.</summary>
public static class DataRaces
{
    public static IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs { get; } = new (string, string, Func<Task>)[]
    {
        ("ticket-office",
            "One ticket on sale, ten buyers on ten threads. Each checks that a ticket is left, pays (a short sleep, the classic "
            + "network delay) and takes it: a check-then-act race, so every buyer gets the one ticket and the count goes negative. "
            + "With the check and the purchase under one lock, the first buyer gets the ticket and the other nine are told it is gone.",
            Synchronously(TicketOffice.Run)),
        ("gil-counter",
            "num = 100; 100 threads each read num into a local, sleep, and write back the local minus one. Most read 100 "
            + "before anyone writes, so num ends in the nineties instead of at 0: lost updates. Locked from the read to the write-back, "
            + "the threads take turns and num ends at 0.",
            Synchronously(GilCounter.Run)),
        ("add-subtract",
            "Two threads: one adds i to a shared total for every i below ten million, the other subtracts it. The total should "
            + "end where it started, at 1, but += and -= are read-modify-write: when the threads run on two cores at once, their "
            + "updates overwrite each other. Interlocked.Add makes each update atomic.",
            Synchronously(AddAndSubtract.Run)),
        ("pool-results",
            "Parallel.For over a million items, each result added to a List<int> from the worker threads. List<T> is not "
            + "thread-safe: adds are lost, or the list throws while it grows. A ConcurrentBag<int> collects every result.",
            Synchronously(PoolResults.Run)),
        ("guarded-counter",
            "The classic locked counter: 100 threads print num, sleep, then take the lock to decrement it. [GuardedBy] states "
            + "that num is protected by the lock, and Lockstep checks every access against it: the print reads num without "
            + "the lock. An int read is never torn, so the output looks alike either way; the fix reads it under the lock, as the "
            + "contract asks.",
            Synchronously(GuardedCounter.Run)),
        ("bank-account",
            "An account whose deposits and withdrawals take its lock, and whose Reset does not. Lockstep infers from the class "
            + "itself that the lock guards the balance (LS1004). Here Reset runs before the tellers start, so the total comes "
            + "out right; nothing in the class stops a caller from resetting during deposits, and the fix takes the lock there too.",
            Synchronously(BankAccount.Run)),
    };

    // The programs start threads and join them: synchronous code, run as it is when the runner awaits it.
    private static Func<Task> Synchronously(Action run) => () =>
    {
        run();
        return Task.CompletedTask;
    };
}

/// <summary>
/// Scenario: buying tickets. data.json holds {"ticket_num": 1}; ten buyers each search() (print what is left) and buy():
/// after a random 1-3 s network delay, if ticket_num &gt; 0, take one and report success, else report failure.
/// Without the mutex every buyer succeeds. Seconds are scaled to tenths of a second.
/// </summary>
public static class TicketOffice
{
    private static readonly Lock s_sync = new();
    private const int OnSale = 1;
    private static int s_tickets = OnSale;

    public static void Run()
    {
        var buyers = new List<Thread>();
        for (var i = 0; i < 10; i++)
        {
            var buyer = new Thread(Buy);
            buyer.Start($"buyer {i}");
            buyers.Add(buyer);
        }

        foreach (var buyer in buyers)
            buyer.Join();

        // Every buyer has finished: the count is final.
        int sold = OnSale - s_tickets;
        Console.WriteLine($"{OnSale} ticket on sale, {sold} sold, {s_tickets} left{(sold > OnSale ? ": oversold" : "")}");
    }

    // After the fix the payment delay runs before the lock and only the check and the decrement run under it: a delay
    // computes nothing, so the fix keeps it out of the step the lock makes atomic, where every other buyer would queue
    // behind it (LS5002). One buyer still gets the ticket.
    private static void Buy(object? name)
    {
        // search(): reading alone needs no lock (the usual advice: lock only the code that changes the data), and
        // Volatile.Read says so to the reader and to Lockstep.
        Console.WriteLine($"{name} sees {Volatile.Read(ref s_tickets)} ticket(s) left");

        // buy(): the check and the purchase must happen as one step. Between them every other buyer can pass the same
        // check; under one lock, the next buyer checks only after this one has taken the ticket.
        bool bought = false;
        Thread.Sleep(Random.Shared.Next(100, 301));
        lock (s_sync)
        {
            if (s_tickets > 0)
            {
                s_tickets--;
                bought = true;
            }
        }

        Console.WriteLine(bought ? $"{name} bought a ticket" : $"{name} found no ticket left");
    }
}

/// <summary>
/// Scenario: "a global lock does not protect your data". num = 100; task() does count = num, time.sleep(0.5), num = count - 1;
/// 100 threads run task() and are joined; print(num) shows 99. The sleep is 10 ms here: the locked version runs the
/// 100 sleeps one after another, and 100 x 10 ms keeps it near a second.
/// </summary>
public static class GilCounter
{
    private static readonly Lock s_sync = new();
    private static int s_num = 100;

    public static void Run()
    {
        var threads = new List<Thread>();
        for (var i = 0; i < 100; i++)
        {
            var thread = new Thread(TakeOne);
            thread.Start();
            threads.Add(thread);
        }

        foreach (var thread in threads)
            thread.Join();

        Console.WriteLine($"final num: {s_num} (100 threads each took one away from 100: expected 0)");
    }

    // After the fix the sleep runs first and only the read and the write-back run under the lock, as a careful counter
    // does (sleep, then lock only num -= 1): a delay computes nothing, and held under the lock it would make the 100
    // threads take turns (LS5002).
    private static void TakeOne()
    {
        Thread.Sleep(10);
        // The read, the sleep and the write-back are one update: another thread that reads num in between works from
        // the same old value, and one of the two writes is lost.
        lock (s_sync)
        {
            var count = s_num;
            s_num = count - 1;
        }
    }
}

/// <summary>
/// Scenario: var = 1; func1 does var += i and func2 does var -= i for i in range(1000000), each on its own thread; the
/// classic cure wraps each update in lock.acquire()/lock.release() so that print(var) shows 1 again. C# does a million
/// additions in a few milliseconds, about the time it takes to start a thread, so here each loop runs ten million
/// times and both threads wait at a starting line: the two loops then overlap for tens of milliseconds.
/// </summary>
public static class AddAndSubtract
{
    private static readonly Barrier s_startingLine = new(2);
    private static long s_total = 1;

    public static void Run()
    {
        var adder = new Thread(Add);
        var subtractor = new Thread(Subtract);
        adder.Start();
        subtractor.Start();
        adder.Join();
        subtractor.Join();

        Console.WriteLine($"total: {s_total} (expected 1: every i added was subtracted again)");
    }

    private static void Add()
    {
        s_startingLine.SignalAndWait();
        for (var i = 0; i < 10_000_000; i++)
            Interlocked.Add(ref s_total, i);
    }

    private static void Subtract()
    {
        s_startingLine.SignalAndWait();
        for (var i = 0; i < 10_000_000; i++)
            Interlocked.Add(ref s_total, -i);
    }
}

/// <summary>
/// Scenario: pool.submit(task, i) for each item, every result appended to the list l, then print([obj.result() for obj
/// in l]). Here the pool is Parallel.For, and the workers themselves add to the collection.
/// </summary>
public static class PoolResults
{
    private const int Items = 1_000_000;

    public static void Run()
    {
        var results = new ConcurrentBag<int>();
        try
        {
            Parallel.For(0, Items, i => results.Add(i));
        }
        catch (AggregateException failure)
        {
            // List<T> can throw when two threads grow it at once; the thread-safe collection never does.
            Console.WriteLine($"Parallel.For failed: {failure.InnerExceptions[0].GetType().Name}: {failure.InnerExceptions[0].Message}");
        }

        Console.WriteLine($"{results.Count} of {Items} results collected ({Items - results.Count} lost)");
    }
}

/// <summary>
/// Scenario: the thread lock. num = 100 and lock = threading.Lock() are globals; addNum() prints '--get num:' num, sleeps
/// 1 s, then lock.acquire(); num -= 1; lock.release() ("lock before modifying the data"); 100 threads, joined;
/// print('final num:', num). [GuardedBy] writes that comment down as a contract, which Lockstep checks at every access.
/// </summary>
public static class GuardedCounter
{
    private static readonly Lock s_lock = new();

    [GuardedBy(nameof(s_lock))]
    private static int s_num = 100;

    public static void Run()
    {
        var threads = new List<Thread>();
        for (var i = 0; i < 100; i++)
        {
            var thread = new Thread(AddNum);
            thread.Start();
            threads.Add(thread);
        }

        foreach (var thread in threads)
            thread.Join();

        // The contract covers every access, so the final read takes the lock as well, though the threads are done.
        lock (s_lock)
        {
            Console.WriteLine($"final num: {s_num} (expected 0)");
        }
    }

    private static void AddNum()
    {
        // The program locks only the update; the print reads num outside the lock, which the contract does not allow.
        lock (s_lock)
        {
            Console.WriteLine($"--get num: {s_num}");
        }
        Thread.Sleep(100);
        lock (s_lock)
        {
            s_num -= 1;
        }
    }
}

/// <summary>A class whose own code shows which lock guards its balance, with one member that forgets it.</summary>
public sealed class BankAccount
{
    private readonly object _sync = new();
    private long _balance;

    public static void Run()
    {
        var account = new BankAccount();
        account.Reset();
        var tellers = new List<Thread>();
        for (int i = 0; i < 4; i++)
        {
            var teller = new Thread(() =>
            {
                for (int n = 0; n < 10000; n++)
                {
                    account.Deposit(2);
                    account.Withdraw(1);
                }
            });
            teller.Start();
            tellers.Add(teller);
        }

        foreach (var teller in tellers)
            teller.Join();

        Console.WriteLine($"balance: {account.Balance} (expected 40000)");
    }

    public long Balance
    {
        get { lock (_sync) { return _balance; } }
    }

    public void Deposit(long amount)
    {
        lock (_sync) { _balance += amount; }
    }

    public void Withdraw(long amount)
    {
        lock (_sync) { _balance -= amount; }
    }

    public void Reset()
    {
        lock (_sync)
        {
            _balance = 0;
        }
    }
}

/// <summary>
/// Not a program: a cache of open log files, one writer per name. LS1006 has no code fix (both remedies change the
/// dictionary's type or its callers), so the fixed file keeps this class and its ID comment; the rule's page shows the
/// Lazy&lt;T&gt; version.
/// </summary>
public sealed class LogFiles
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.IO.StreamWriter> _writers = new();

    // Two threads logging to a new name at once can each open the file: one writer is kept, the other leaks its handle.
    public System.IO.StreamWriter For(string name) => _writers.GetOrAdd(name, n => new System.IO.StreamWriter(n + ".log", append: true)); // LS1006
}
