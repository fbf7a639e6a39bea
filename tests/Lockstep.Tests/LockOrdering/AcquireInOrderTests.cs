using System;
using System.Linq;
using System.Threading;

// Passing a System.Threading.Lock as an object is the point of some tests here: AcquireInOrder recognises it and
// enters it with Lock.Enter, not Monitor.
#pragma warning disable CS9216

namespace Lockstep.Tests.LockOrdering;

/// <summary>
/// <see cref="Locks.AcquireInOrder"/> with the validator off: what it holds and releases, argument checks, ids, and a
/// randomized 8-thread stress test that must neither deadlock nor lose an update.
/// </summary>
public sealed class AcquireInOrderTests
{
    [Fact]
    public void Holds_every_kind_of_lock_until_disposed()
    {
        var monitor = new object();
        var ordered = new OrderedLock("kinds.ordered");
        var ranked = new OrderedLock("kinds.ranked", rank: 7);
        var systemLock = new Lock();

        using (Locks.Scope scope = Locks.AcquireInOrder(systemLock, monitor, ranked, ordered))
        {
            Assert.Equal(4, scope.Count);
            Assert.True(Monitor.IsEntered(monitor));
            Assert.True(ordered.IsHeldByCurrentThread);
            Assert.True(ranked.IsHeldByCurrentThread);
            Assert.True(systemLock.IsHeldByCurrentThread);

            // Each is held the way other code takes it: a lock statement on the Lock, Monitor on the object.
            Assert.False(Workers.OnOtherThread(() => systemLock.TryEnter()));
            Assert.False(Workers.OnOtherThread(() => Monitor.TryEnter(monitor)));
        }

        Assert.False(Monitor.IsEntered(monitor));
        Assert.False(ordered.IsHeldByCurrentThread);
        Assert.False(ranked.IsHeldByCurrentThread);
        Assert.False(systemLock.IsHeldByCurrentThread);
    }

    [Fact]
    public void Duplicates_are_acquired_once()
    {
        var monitor = new object();
        var ordered = new OrderedLock("duplicates");
        var systemLock = new Lock();

        using (Locks.Scope scope = Locks.AcquireInOrder(monitor, ordered, monitor, systemLock, ordered, systemLock))
        {
            Assert.Equal(3, scope.Count);
        }

        // Entered twice and released once would leave them held.
        Assert.False(Monitor.IsEntered(monitor));
        Assert.False(ordered.IsHeldByCurrentThread);
        Assert.False(systemLock.IsHeldByCurrentThread);
    }

    [Fact]
    public void Locks_already_held_are_entered_again_and_stay_held_afterwards()
    {
        var monitor = new object();
        var ordered = new OrderedLock("already-held");
        var other = new object();

        lock (monitor)
        {
            using (ordered.EnterScope())
            {
                using (Locks.AcquireInOrder(other, ordered, monitor)) { }

                Assert.True(Monitor.IsEntered(monitor));
                Assert.True(ordered.IsHeldByCurrentThread);
                Assert.False(Monitor.IsEntered(other));
            }
        }
    }

    [Fact]
    public void No_locks_is_an_empty_scope()
    {
        Locks.Scope scope = Locks.AcquireInOrder();
        Assert.Equal(0, scope.Count);
        scope.Dispose();
    }

    [Fact]
    public void Null_array_or_element_throws_ArgumentNullException_and_takes_nothing()
    {
        var monitor = new object();

        Assert.Throws<ArgumentNullException>("locks", () => Locks.AcquireInOrder(null!));
        var e = Assert.Throws<ArgumentNullException>("locks", () => Locks.AcquireInOrder(monitor, null!));
        Assert.Contains("locks[1]", e.Message);
        Assert.False(Monitor.IsEntered(monitor));
    }

    [Fact]
    public void Objects_that_a_monitor_would_not_protect_are_rejected()
    {
        var monitor = new object();
        using var semaphore = new SemaphoreSlim(1);
        using var mutex = new Mutex();
        using var readerWriter = new ReaderWriterLockSlim();

        foreach (object bad in new object[] { 42, semaphore, mutex, readerWriter, new Guarded<int>(0) })
        {
            var e = Assert.Throws<ArgumentException>("locks", () => Locks.AcquireInOrder(monitor, bad));
            Assert.Contains("locks[1]", e.Message);
            Assert.False(Monitor.IsEntered(monitor));
        }

        var guarded = new Guarded<int>(0);
        Assert.Contains("SyncRoot", Assert.Throws<ArgumentException>(() => Locks.AcquireInOrder(guarded)).Message);
        using (Locks.AcquireInOrder(guarded.SyncRoot))
            Assert.True(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void Ids_are_per_object_identity_not_hash_codes()
    {
        var a = new SameHash();
        var b = new SameHash();
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(a, b);

        long idA = Locks.GetOrderId(a);
        long idB = Locks.GetOrderId(b);
        Assert.NotEqual(idA, idB);
        Assert.Equal(idA, Locks.GetOrderId(a));
        Assert.True(idA < idB); // handed out the first time an object is seen

        var ordered = new OrderedLock("ids");
        Assert.Equal(Locks.GetOrderId(ordered), Locks.GetOrderId(ordered));
        Assert.True(Locks.GetOrderId(ordered) > idB);

        // Equal (by Equals) but distinct objects are two locks.
        using (Locks.Scope scope = Locks.AcquireInOrder(a, b))
            Assert.Equal(2, scope.Count);
    }

    [Fact]
    public void Disposing_twice_throws_ObjectDisposedException()
    {
        var monitor = new object();
        Locks.Scope scope = Locks.AcquireInOrder(monitor);
        scope.Dispose();

        var e = Assert.Throws<ObjectDisposedException>(() => scope.Dispose());
        Assert.Contains("already been disposed", e.Message);
        Assert.False(Monitor.IsEntered(monitor));
    }

    [Fact]
    public void Disposing_on_another_thread_throws_SynchronizationLockException_and_keeps_the_locks()
    {
        var monitor = new object();
        var ordered = new OrderedLock("multi-thread");
        Locks.Scope scope = Locks.AcquireInOrder(monitor, ordered);

        Exception? e = Workers.OnOtherThread(() => Record.Exception(() => scope.Dispose()));

        Assert.IsType<SynchronizationLockException>(e);
        Assert.True(Monitor.IsEntered(monitor));
        Assert.True(ordered.IsHeldByCurrentThread);
        scope.Dispose();
        Assert.False(Monitor.IsEntered(monitor));
        Assert.False(ordered.IsHeldByCurrentThread);
    }

    /// <summary>
    /// Eight threads, each taking random subsets of five locks (plain monitors, ordered locks with and without rank,
    /// a System.Threading.Lock) passed in random order with duplicates. Taken in argument order this deadlocks
    /// quickly; taken by AcquireInOrder it must finish before the watchdog (20 s) and every per-lock counter,
    /// incremented without atomics under its lock, must reach its exact total.
    /// </summary>
    [Fact]
    public void Random_subsets_in_random_argument_order_on_eight_threads_never_deadlock_and_lose_no_update()
    {
        const int Threads = 8;
        const int Iterations = 3_000;
        var locks = new object[]
        {
            new object(),
            new OrderedLock("stress.unranked"),
            new Lock(),
            new OrderedLock("stress.ranked", rank: 2),
            new object(),
        };
        var counters = new long[locks.Length];
        var expected = new long[Threads, locks.Length];

        Workers.Run(Threads, thread =>
        {
            var random = new Random(unchecked(thread * 7919 + 17));
            for (int i = 0; i < Iterations; i++)
            {
                int[] chosen = Enumerable.Range(0, locks.Length).Where(_ => random.Next(2) == 0).ToArray();
                if (chosen.Length == 0)
                    chosen = new[] { random.Next(locks.Length) };

                // Random argument order, sometimes with one lock twice.
                int[] arguments = chosen.Concat(random.Next(4) == 0 ? new[] { chosen[0] } : Array.Empty<int>())
                    .OrderBy(_ => random.Next())
                    .ToArray();

                using (Locks.AcquireInOrder(arguments.Select(index => locks[index]).ToArray()))
                {
                    foreach (int index in chosen)
                    {
                        long seen = counters[index];
                        if (random.Next(64) == 0)
                            Thread.Yield(); // invite a lost update if the lock did not exclude
                        counters[index] = seen + 1;
                        expected[thread, index]++;
                    }
                }
            }
        });

        for (int index = 0; index < locks.Length; index++)
            Assert.Equal(Enumerable.Range(0, Threads).Sum(t => expected[t, index]), counters[index]);
        Assert.All(locks.OfType<OrderedLock>(), l => Assert.False(l.IsHeldByCurrentThread));
    }

    private sealed class SameHash : IEquatable<SameHash>
    {
        public bool Equals(SameHash? other) => other is not null;

        public override bool Equals(object? obj) => obj is SameHash;

        public override int GetHashCode() => 42;
    }
}
