using System;
using System.Threading;

using Lockstep.Tests.Testing;

namespace Lockstep.Tests.LockOrdering;

/// <summary>
/// <see cref="OrderedLock"/> as a lock, with the validator off (the default): exclusion, re-entrancy, try-enter and
/// the misuse exceptions. These tests never switch the policy, so they may run in parallel with each other.
/// </summary>
public sealed class OrderedLockTests
{
    [Fact]
    public void Name_rank_and_ToString()
    {
        var unranked = new OrderedLock("cache");
        var ranked = new OrderedLock("accounts", rank: 3);

        Assert.Equal("cache", unranked.Name);
        Assert.Null(unranked.Rank);
        Assert.Equal("cache", unranked.ToString());
        Assert.Equal("accounts", ranked.Name);
        Assert.Equal(3, ranked.Rank);
        Assert.Equal("accounts (rank 3)", ranked.ToString());
    }

    [Fact]
    public void Constructor_rejects_a_missing_name()
    {
        Assert.Throws<ArgumentNullException>("name", () => new OrderedLock(null!));
        Assert.Throws<ArgumentException>("name", () => new OrderedLock(""));
        Assert.Throws<ArgumentException>("name", () => new OrderedLock("  "));
    }

    [Fact]
    public void EnterScope_holds_the_lock_until_the_scope_is_disposed()
    {
        var l = new OrderedLock("holds");
        Assert.False(l.IsHeldByCurrentThread);

        using (l.EnterScope())
        {
            Assert.True(l.IsHeldByCurrentThread);
            Assert.False(Workers.OnOtherThread(() => l.IsHeldByCurrentThread));
            Assert.False(Workers.OnOtherThread(() => TryOnce(l)));
        }

        Assert.False(l.IsHeldByCurrentThread);
        Assert.True(Workers.OnOtherThread(() => TryOnce(l)));
    }

    [Fact]
    public void Reentry_is_allowed_and_the_lock_is_released_by_the_outermost_scope()
    {
        var l = new OrderedLock("reentrant");

        using (l.EnterScope())
        {
            using (l.EnterScope())
            {
                Assert.True(l.TryEnterScope(TimeSpan.Zero, out var third));
                third.Dispose();
                Assert.True(l.IsHeldByCurrentThread);
            }

            Assert.True(l.IsHeldByCurrentThread);
            Assert.False(Workers.OnOtherThread(() => TryOnce(l)));
        }

        Assert.False(l.IsHeldByCurrentThread);
        Assert.True(Workers.OnOtherThread(() => TryOnce(l)));
    }

    [Fact]
    public void TryEnterScope_fails_while_another_thread_holds_the_lock_and_returns_a_default_scope()
    {
        var l = new OrderedLock("try");
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            using (l.EnterScope())
            {
                held.Set();
                release.Wait(Workers.Watchdog);
            }
        }) { IsBackground = true };
        holder.Start();
        try
        {
            Assert.True(held.Wait(Workers.Watchdog));
            Assert.False(l.TryEnterScope(TimeSpan.Zero, out OrderedLock.Scope scope));
            Assert.IsType<InvalidOperationException>(RefStructs.Catch(scope, static s => s.Dispose())); // a default scope
            Assert.False(l.TryEnterScope(TimeSpan.FromMilliseconds(20), out _));
            Assert.False(l.IsHeldByCurrentThread);
        }
        finally
        {
            release.Set();
            Assert.True(holder.Join(Workers.Watchdog));
        }

        Assert.True(l.TryEnterScope(Timeout.InfiniteTimeSpan, out OrderedLock.Scope taken));
        Assert.True(l.IsHeldByCurrentThread);
        taken.Dispose();
        Assert.False(l.IsHeldByCurrentThread);
    }

    [Fact]
    public void TryEnterScope_rejects_an_invalid_timeout()
    {
        var l = new OrderedLock("timeout");
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => l.TryEnterScope(TimeSpan.FromMilliseconds(-2), out _));
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => l.TryEnterScope(TimeSpan.FromMilliseconds(int.MaxValue + 1.0), out _));
        Assert.False(l.IsHeldByCurrentThread);
    }

    [Fact]
    public void Disposing_a_scope_twice_throws_ObjectDisposedException()
    {
        var l = new OrderedLock("twice");
        OrderedLock.Scope scope = l.EnterScope();
        OrderedLock.Scope copy = scope;
        scope.Dispose();

        var e = Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => s.Dispose()));
        Assert.Contains("'twice'", e.Message);
        Assert.Contains("already been disposed", e.Message);
        Assert.IsType<ObjectDisposedException>(RefStructs.Catch(copy, static s => s.Dispose()));
        Assert.False(l.IsHeldByCurrentThread);
    }

    [Fact]
    public void A_stale_scope_does_not_release_a_later_acquisition()
    {
        var l = new OrderedLock("stale");
        OrderedLock.Scope first = l.EnterScope();
        first.Dispose();

        using (l.EnterScope())
        {
            Assert.IsType<ObjectDisposedException>(RefStructs.Catch(first, static s => s.Dispose()));
            Assert.True(l.IsHeldByCurrentThread);
        }
    }

    [Fact]
    public void Disposing_a_default_scope_throws_InvalidOperationException()
    {
        var e = Assert.Throws<InvalidOperationException>(() => default(OrderedLock.Scope).Dispose());
        Assert.Contains("default", e.Message);

        var l = new OrderedLock("default-scope");
        using (l.EnterScope())
        {
            Assert.False(Workers.OnOtherThread(() =>
            {
                bool taken = l.TryEnterScope(TimeSpan.Zero, out OrderedLock.Scope failed);
                Assert.IsType<InvalidOperationException>(RefStructs.Catch(failed, static s => s.Dispose()));
                return taken;
            }));
        }
    }

    [Fact]
    public void Disposing_an_outer_scope_before_an_inner_one_throws_and_keeps_the_lock()
    {
        var l = new OrderedLock("order");
        OrderedLock.Scope outer = l.EnterScope();
        OrderedLock.Scope inner = l.EnterScope();

        var e = Assert.IsType<InvalidOperationException>(RefStructs.Catch(outer, static s => s.Dispose()));
        Assert.Contains("reverse order", e.Message);
        Assert.True(l.IsHeldByCurrentThread);

        inner.Dispose();
        outer.Dispose();
        Assert.False(l.IsHeldByCurrentThread);
    }

    [Fact]
    public void Uncontended_enter_and_exit_allocate_nothing()
    {
        var l = new OrderedLock("alloc-off");
        for (int i = 0; i < 100; i++)
        {
            using (l.EnterScope()) { }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            using (l.EnterScope())
            using (l.EnterScope()) { }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Eight_threads_incrementing_under_the_lock_reach_the_exact_total()
    {
        const int Threads = 8;
        const int Increments = 5_000;
        var l = new OrderedLock("counter");
        long counter = 0;

        Workers.Run(Threads, _ =>
        {
            for (int i = 0; i < Increments; i++)
            {
                using (l.EnterScope())
                {
                    long seen = counter;
                    if (i % 500 == 0)
                        Thread.Yield();
                    counter = seen + 1;
                }
            }
        });

        Assert.Equal(Threads * Increments, counter);
    }

    private static bool TryOnce(OrderedLock l)
    {
        if (!l.TryEnterScope(TimeSpan.Zero, out OrderedLock.Scope scope))
            return false;
        scope.Dispose();
        return true;
    }
}
