using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Lockstep;

// Inconsistent lock ordering (LS2001-LS2003): the mutex A/B
// deadlock (ten threads, func1 takes A then B, func2 takes B then A), the same mistake hidden behind parameters in a
// bank transfer, and a rank order written down with OrderedLock and then broken.
//
// Pitfalls/Deadlocks.cs holds the programs as first written; every line Lockstep flags ends with the ID it reports.
// Fixed/Deadlocks.cs is this file after Lockstep's code fixes, and nothing else: a test applies the fixes and
// compares. So the comments here describe both versions: the conflicting order and what replaces it.
// The file stays within C# 11 so that the tests, which parse it with the Roslyn floor (4.5), can read it.
namespace Lockstep.Samples.Pitfalls;

/// <summary>The programs of this family, as the runner lists them.</summary>
public static class Deadlocks
{
    public static IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs { get; } = new (string, string, Func<Task>)[]
    {
        ("mutex-ab",
            "The classic deadlock: two locks, ten threads, each calling func1 (A then B) and func2 (B then A) over and over. "
            + "Sooner or later one thread holds A and waits for B while another holds B and waits for A, and neither ever "
            + "lets go; a watchdog gives up after 3 s instead of hanging. Taken in one order everywhere (A then B), the "
            + "threads only queue and all of them finish.",
            Synchronously(MutexAB.Run)),
        ("bank-transfer",
            "Transfer(from, to) locks 'from', then 'to'. Which account is locked first depends on the arguments: "
            + "Transfer(a, b) and Transfer(b, a) at the same time is the A/B deadlock again (the watchdog gives up after 3 s). "
            + "Locks.AcquireInOrder(from, to) takes both in one global order, whatever the argument order: every transfer "
            + "completes and the money adds up.",
            Synchronously(BankTransfer.Run)),
        ("ranked-locks",
            "Two OrderedLocks with ranks, ledger (1) before audit (2). The poster takes them one at a time; the auditor "
            + "holds audit while it takes ledger, against the ranks. Nothing deadlocks here, but the ranks are the order "
            + "every future change must keep, and the runtime's LockOrderValidator reports the inversion the first time it "
            + "runs, single-threaded or not. Taken in rank order, nothing is reported.",
            Synchronously(RankedLocks.Run)),
    };

    // The programs start threads and join them: synchronous code, run as it is when the runner awaits it.
    private static Func<Task> Synchronously(Action run) => () =>
    {
        run();
        return Task.CompletedTask;
    };
}

/// <summary>
/// Scenario: mutexA = Lock(), mutexB = Lock(); MyThread.run() calls func1() (acquire A, acquire B, release B, release A)
/// then func2() (acquire B, sleep 1 s, acquire A, release A, release B); ten threads are started. The original prints
/// ("got lock A", ...) become a counter, and instead of one sleep while holding B (a blocking call under a lock, which
/// Lockstep reports as LS5002), each thread runs both functions many times: the window between the two acquisitions
/// is small, but the ten threads cross it millions of times.
/// </summary>
public static class MutexAB
{
    private const int Threads = 10;
    private const int Rounds = 500_000;

    // The intended order, A before B, is even written down; but a misspelt name makes the contract check nothing.
    // Written with nameof, the compiler checks the name and every nested acquisition is checked against the order.
    [AcquiredBefore("s_mutexb")] // LS9001
    private static readonly object s_mutexA = new();
    private static readonly object s_mutexB = new();

    // Started one by one, a thread can finish its rounds before the next one is running; at a starting line they all
    // set off together, so their rounds overlap.
    private static readonly Barrier s_startingLine = new(Threads);
    private static long s_sections;

    public static void Run()
    {
        var watch = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (int i = 0; i < Threads; i++)
        {
            // Background threads: two threads stuck on each other's lock must not keep the process alive.
            var thread = new Thread(Work) { IsBackground = true };
            thread.Start();
            threads.Add(thread);
        }

        // A deadlock never ends by itself, so wait against one deadline instead of joining for ever.
        var deadline = TimeSpan.FromSeconds(3);
        int stuck = 0;
        foreach (var thread in threads)
        {
            var left = deadline - watch.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                stuck++;
        }

        if (stuck > 0)
        {
            Console.WriteLine($"Deadlock: {stuck} of {Threads} threads are stuck waiting for each other's lock (A then B vs B then A); giving up.");
            return;
        }

        Console.WriteLine($"All {Threads} threads finished: {s_sections} locked sections (func1 and func2 {Rounds} times each), "
            + $"no deadlock, in {watch.Elapsed.TotalSeconds:F2} s");
    }

    private static void Work()
    {
        s_startingLine.SignalAndWait();
        for (int i = 0; i < Rounds; i++)
        {
            Function1();
            Function2();
        }
    }

    private static void Function1()
    {
        lock (s_mutexA)
        {
            lock (s_mutexB)
            {
                s_sections++;
            }
        }
    }

    // Holding B and waiting for A, while Function1 on another thread holds A and waits for B: each waits for the other.
    // With A taken first here too, whoever gets A goes on to B, and the others wait for A holding nothing.
    private static void Function2()
    {
        lock (s_mutexB)
        {
            lock (s_mutexA) // LS2001
            {
                s_sections++;
            }
        }
    }
}

/// <summary>An account: its balance is guarded by the account object itself, which Transfer locks.</summary>
public sealed class Account
{
    public Account(int id, decimal balance)
    {
        Id = id;
        Balance = balance;
    }

    public int Id { get; }

    public decimal Balance { get; set; }
}

/// <summary>
/// The mutex A/B deadlock as it usually looks in real code: nothing names the locks A and B, the arguments do. Locking
/// 'from' and then 'to' is one order for Transfer(a, b) and the opposite order for Transfer(b, a).
/// </summary>
public static class BankTransfer
{
    private const int Tellers = 10;
    private const int Rounds = 200_000;

    private static readonly Barrier s_startingLine = new(Tellers);

    public static void Run()
    {
        var watch = Stopwatch.StartNew();
        var a = new Account(1, 1000);
        var b = new Account(2, 1000);
        var threads = new List<Thread>();
        for (int i = 0; i < Tellers; i++)
        {
            // Half the tellers move money from a to b, the other half from b to a.
            var from = i % 2 == 0 ? a : b;
            var to = i % 2 == 0 ? b : a;
            var thread = new Thread(() =>
            {
                s_startingLine.SignalAndWait();
                for (int n = 0; n < Rounds; n++)
                    Transfer(from, to, 1);
            });
            thread.IsBackground = true;
            thread.Start();
            threads.Add(thread);
        }

        var deadline = TimeSpan.FromSeconds(3);
        int stuck = 0;
        foreach (var thread in threads)
        {
            var left = deadline - watch.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                stuck++;
        }

        if (stuck > 0)
        {
            Console.WriteLine($"Deadlock: {stuck} of {Tellers} tellers are stuck: one holds account {a.Id} and waits for {b.Id}, another holds "
                + $"{b.Id} and waits for {a.Id}, the rest wait behind them; giving up.");
            return;
        }

        decimal total = a.Balance + b.Balance;
        Console.WriteLine($"All {Tellers} tellers finished {Rounds} transfers each in {watch.Elapsed.TotalSeconds:F2} s: account {a.Id} has "
            + $"{a.Balance}, account {b.Id} has {b.Balance}, total {total} ({(total == 2000 ? "unchanged" : "money was lost")})");
    }

    public static void Transfer(Account from, Account to, decimal amount)
    {
        lock (from)
        {
            lock (to) // LS2002
            {
                from.Balance -= amount;
                to.Balance += amount;
            }
        }
    }
}

/// <summary>
/// The usual cure for the A/B deadlock, one lock order for every thread, written down: each OrderedLock carries a
/// rank, and ranked locks must be taken lowest rank first. Lockstep checks the ranks at compile time, and the runtime library's
/// LockOrderValidator checks them at run time (here switched to Report for the duration of the program).
/// </summary>
public static class RankedLocks
{
    private const int Rounds = 1_000;

    private static readonly OrderedLock s_ledger = new OrderedLock("ledger", rank: 1);
    private static readonly OrderedLock s_audit = new OrderedLock("audit", rank: 2);
    private static decimal s_balance;
    private static int s_auditEntries;

    public static void Run()
    {
        var previous = LockOrderValidator.Policy;
        int reportsBefore = LockOrderValidator.GetReports().Count;
        LockOrderValidator.Policy = LockOrderPolicy.Report;
        try
        {
            var poster = new Thread(Post);
            var auditor = new Thread(Reverse);
            poster.Start();
            auditor.Start();
            poster.Join();
            auditor.Join();
        }
        finally
        {
            LockOrderValidator.Policy = previous;
        }

        Console.WriteLine($"balance {s_balance}, {s_auditEntries} audit entries (expected 0 and {2 * Rounds})");
        var reports = LockOrderValidator.GetReports();
        if (reports.Count == reportsBefore)
        {
            Console.WriteLine("LockOrderValidator reported nothing: every thread took ledger (rank 1) before audit (rank 2).");
            return;
        }

        for (int i = reportsBefore; i < reports.Count; i++)
            Console.WriteLine($"LockOrderValidator reported ({reports[i].Kind}):{Environment.NewLine}{reports[i].Message}");
    }

    // Posts a deposit: the ledger first, then the audit log, one lock at a time.
    private static void Post()
    {
        for (int i = 0; i < Rounds; i++)
        {
            using (s_ledger.EnterScope())
            {
                s_balance += 1;
            }

            using (s_audit.EnterScope())
            {
                s_auditEntries++;
            }
        }
    }

    // Reverses a deposit and records it in one step, so both locks are held. Holding audit (rank 2) while taking ledger
    // (rank 1) contradicts the ranks: add one method that holds ledger and takes audit, as the ranks allow, and the
    // two can deadlock. In rank order, ledger then audit, it is the order every method agrees on.
    private static void Reverse()
    {
        for (int i = 0; i < Rounds; i++)
        {
            using (s_audit.EnterScope())
            {
                using (s_ledger.EnterScope()) // LS2003
                {
                    s_balance -= 1;
                    s_auditEntries++;
                }
            }
        }
    }
}
