using System;
using System.Collections.Generic;
using System.Threading;

using Lockstep.Tests.Testing;

namespace Lockstep.Tests.Guarded;

public sealed class GuardedTests
{
    // A bound on how long a helper thread may take, so a bug shows up as a failure instead of a hung test run. It is
    // generous on purpose: nothing here asserts how fast anything is.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Lock_gives_a_reference_to_the_value()
    {
        var guarded = new Guarded<int>(41);

        using (var scope = guarded.Lock())
        {
            Assert.Equal(41, scope.Value);
            scope.Value++;
            ref int value = ref scope.Value;
            value *= 2;
        }

        Assert.Equal(84, guarded.Read(v => v));
    }

    [Fact]
    public void Scope_holds_the_lock_until_disposed()
    {
        var guarded = new Guarded<int>(0);
        Assert.False(guarded.IsHeldByCurrentThread);

        var scope = guarded.Lock();
        Assert.True(guarded.IsHeldByCurrentThread);
        Assert.True(Monitor.IsEntered(guarded.SyncRoot));
        Assert.False(OnOtherThread(() => guarded.TryLock(TimeSpan.Zero, out _)));

        scope.Dispose();
        Assert.False(guarded.IsHeldByCurrentThread);
        Assert.True(OnOtherThread(() =>
        {
            if (!guarded.TryLock(TimeSpan.Zero, out var other))
                return false;
            other.Dispose();
            return true;
        }));
    }

    [Fact]
    public void Value_of_a_disposed_scope_throws_ObjectDisposedException()
    {
        var guarded = new Guarded<int>(1);
        var scope = guarded.Lock();
        scope.Dispose();

        var exception = Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => _ = s.Value));
        Assert.Contains("has been disposed", exception.Message);
        Assert.Contains("Guarded<Int32>", exception.Message);
    }

    [Fact]
    public void Disposing_a_scope_twice_throws_and_releases_the_lock_only_once()
    {
        var guarded = new Guarded<int>(0);
        lock (guarded.SyncRoot)
        {
            var scope = guarded.Lock();
            scope.Dispose();

            Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => s.Dispose()));

            // The monitor is re-entrant: a second Monitor.Exit would have released the outer lock statement's hold.
            Assert.True(Monitor.IsEntered(guarded.SyncRoot));
        }

        Assert.False(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void Copies_of_a_scope_share_its_state()
    {
        var guarded = new Guarded<int>(0);
        var scope = guarded.Lock();
        var copy = scope;
        copy.Value = 7;
        Assert.Equal(7, scope.Value);

        copy.Dispose();

        Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => _ = s.Value));
        Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => s.Dispose()));
        Assert.False(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void Old_scope_does_not_reach_the_value_once_the_lock_is_taken_again()
    {
        var guarded = new Guarded<int>(0);
        var old = guarded.Lock();
        old.Dispose();

        using (var current = guarded.Lock())
        {
            Assert.IsType<ObjectDisposedException>(RefStructs.Catch(old, static s => _ = s.Value));
            Assert.IsType<ObjectDisposedException>(RefStructs.Catch(old, static s => s.Dispose()));
            current.Value = 3;
        }

        Assert.Equal(3, guarded.Read(v => v));
    }

    [Fact]
    public void Default_scope_holds_nothing()
    {
        Guarded<int>.Scope scope = default;

        var exception = Assert.IsType<InvalidOperationException>(RefStructs.Catch(scope, static s => _ = s.Value));
        Assert.Contains("default", exception.Message);
        Assert.IsType<InvalidOperationException>(RefStructs.Catch(scope, static s => s.PulseAll()));

        // What a failed TryLock returns can sit in a using statement.
        scope.Dispose();
    }

    [Fact]
    public void Opening_the_value_again_on_the_same_thread_throws_LockRecursionException()
    {
        var guarded = new Guarded<int>(0);
        using (var outer = guarded.Lock())
        {
            var exception = Assert.Throws<LockRecursionException>(() => guarded.Lock());
            Assert.Contains("already has this Guarded<Int32> open", exception.Message);
            Assert.Throws<LockRecursionException>(() => guarded.TryLock(TimeSpan.Zero, out _));
            Assert.Throws<LockRecursionException>(() => guarded.Exchange(1));

            // The failed attempts gave back the hold they took: the outer scope is intact.
            outer.Value = 2;
        }

        Assert.False(guarded.IsHeldByCurrentThread);
        Assert.Equal(2, guarded.Read(v => v));
    }

    [Fact]
    public void Callbacks_cannot_reopen_their_own_value()
    {
        var guarded = new Guarded<int>(0);

        Assert.Throws<LockRecursionException>(() => guarded.Update((ref int v) => v = guarded.Read(x => x) + 1));
        Assert.Throws<LockRecursionException>(() => guarded.Read(v => guarded.Update((ref int x) => ++x)));

        Assert.False(guarded.IsHeldByCurrentThread);
        Assert.Equal(0, guarded.Read(v => v));
    }

    [Fact]
    public void A_thread_holding_the_lock_object_can_open_the_value()
    {
        var sync = new object();
        var guarded = new Guarded<List<int>>(new List<int>(), sync);
        Assert.Same(sync, guarded.SyncRoot);

        lock (sync)
        {
            using var scope = guarded.Lock();
            scope.Value.Add(1);
        }

        Assert.False(Monitor.IsEntered(sync));
        Assert.Equal(1, guarded.Read(list => list.Count));
    }

    [Fact]
    public void Values_sharing_a_lock_can_be_open_together_on_one_thread()
    {
        var from = new Guarded<int>(100);
        var to = new Guarded<int>(0, from.SyncRoot);

        using (var a = from.Lock())
        using (var b = to.Lock())
        {
            a.Value -= 30;
            b.Value += 30;
        }

        Assert.False(from.IsHeldByCurrentThread);
        Assert.Equal(70, from.Read(v => v));
        Assert.Equal(30, to.Read(v => v));
    }

    [Fact]
    public void Values_sharing_a_lock_exclude_each_other()
    {
        var first = new Guarded<int>(0);
        var second = new Guarded<int>(0, first.SyncRoot);
        var separate = new Guarded<int>(0);

        using (first.Lock())
        {
            Assert.False(OnOtherThread(() => second.TryLock(TimeSpan.Zero, out _)));
            Assert.False(OnOtherThread(() => Monitor.TryEnter(second.SyncRoot)));
            Assert.True(OnOtherThread(() =>
            {
                if (!separate.TryLock(TimeSpan.Zero, out var scope))
                    return false;
                scope.Dispose();
                return true;
            }));
        }
    }

    [Fact]
    public void TryLock_takes_a_free_lock()
    {
        var guarded = new Guarded<string>("free");

        Assert.True(guarded.TryLock(TimeSpan.Zero, out var scope));
        using (scope)
        {
            Assert.Equal("free", scope.Value);
            scope.Value = "taken";
        }

        Assert.True(guarded.TryLock(Timeout.InfiniteTimeSpan, out var again));
        again.Dispose();
        Assert.Equal("taken", guarded.Read(v => v));
    }

    [Fact]
    public void TryLock_gives_up_while_another_thread_holds_the_lock()
    {
        var guarded = new Guarded<int>(0);
        using var held = guarded.Lock();

        var (taken, failure) = OnOtherThread(() =>
        {
            bool taken = guarded.TryLock(TimeSpan.FromMilliseconds(20), out var scope);
            return (taken, RefStructs.Catch(scope, static s => _ = s.Value));
        });

        Assert.False(taken);
        Assert.IsType<InvalidOperationException>(failure);
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(-1000.0)]
    [InlineData(2147483648.0)]
    public void TryLock_refuses_a_timeout_Monitor_cannot_wait(double milliseconds)
    {
        var guarded = new Guarded<int>(0);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => guarded.TryLock(TimeSpan.FromMilliseconds(milliseconds), out _));

        Assert.Equal("timeout", exception.ParamName);
        Assert.False(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void Read_Update_and_Exchange_work_under_the_lock()
    {
        var guarded = new Guarded<int>(10);

        Assert.Equal("10", guarded.Read(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        guarded.Update((ref int v) => v += 5);
        Assert.Equal(16, guarded.Update((ref int v) => ++v));
        Assert.Equal(16, guarded.Exchange(100));
        Assert.Equal(100, guarded.Read(v => v));
        Assert.False(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void Callbacks_run_while_the_lock_is_held()
    {
        var guarded = new Guarded<int>(0);

        Assert.True(guarded.Read(_ => Monitor.IsEntered(guarded.SyncRoot)));
        Assert.True(guarded.Update((ref int _) => guarded.IsHeldByCurrentThread));
    }

    [Fact]
    public void Null_callbacks_are_refused()
    {
        var guarded = new Guarded<int>(0);

        Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => guarded.Read<int>(null!)).ParamName);
        Assert.Equal("update", Assert.Throws<ArgumentNullException>(() => guarded.Update(null!)).ParamName);
        Assert.Equal("update", Assert.Throws<ArgumentNullException>(() => guarded.Update<int>(null!)).ParamName);
        Assert.False(guarded.IsHeldByCurrentThread);
    }

    [Fact]
    public void A_throwing_callback_releases_the_lock_and_keeps_its_changes()
    {
        var guarded = new Guarded<int>(0);

        Assert.Throws<FormatException>(() => guarded.Update((ref int v) =>
        {
            v = 1;
            throw new FormatException();
        }));
        Assert.Throws<FormatException>(() => guarded.Read<int>(_ => throw new FormatException()));

        Assert.False(guarded.IsHeldByCurrentThread);
        Assert.Equal(1, OnOtherThread(() => guarded.Read(v => v)));
    }

    [Fact]
    public void Lock_objects_that_cannot_be_shared_are_refused()
    {
        Assert.Equal("sync", Assert.Throws<ArgumentNullException>(() => new Guarded<int>(0, null!)).ParamName);

        var text = Assert.Throws<ArgumentException>(() => new Guarded<int>(0, "sync"));
        Assert.Contains("string", text.Message);

        var boxed = Assert.Throws<ArgumentException>(() => new Guarded<int>(0, 42));
        Assert.Contains("boxed Int32", boxed.Message);

#pragma warning disable CS9216 // The conversion to object is the mistake under test.
        var threadingLock = Assert.Throws<ArgumentException>(() => new Guarded<int>(0, new Lock()));
#pragma warning restore CS9216
        Assert.Contains("Lock.EnterScope", threadingLock.Message);
        Assert.Equal("sync", threadingLock.ParamName);
    }

    [Fact]
    public void Reference_values_can_be_null()
    {
        var guarded = new Guarded<string?>(null);

        Assert.Null(guarded.Exchange("set"));
        Assert.Equal("set", guarded.Read(v => v));
    }

    [Fact]
    public void Wait_releases_the_lock_until_pulsed()
    {
        var queue = new Guarded<Queue<int>>(new Queue<int>());
        int taken = 0;
        var consumer = new Thread(() =>
        {
            using var scope = queue.Lock();
            while (scope.Value.Count == 0)
                scope.Wait();
            taken = scope.Value.Dequeue();
        });
        consumer.Start();

        // The consumer can only be waiting or not started: it holds the lock whenever it runs. Once the producer has
        // the lock, the item is there before the consumer looks again.
        using (var scope = queue.Lock())
        {
            scope.Value.Enqueue(42);
            scope.PulseAll();
        }

        Assert.True(consumer.Join(Patience));
        Assert.Equal(42, taken);
        Assert.Equal(0, queue.Read(q => q.Count));
    }

    [Fact]
    public void Wait_lets_other_threads_open_the_value_and_reopens_it_afterwards()
    {
        var guarded = new Guarded<int>(0);
        using var scope = guarded.Lock();
        var other = new Thread(() =>
        {
            using var otherScope = guarded.Lock();
            otherScope.Value = 9;
            otherScope.Pulse();
        });
        other.Start();

        while (scope.Value != 9)
            Assert.True(scope.Wait(Patience));

        Assert.True(other.Join(Patience));
        Assert.True(guarded.IsHeldByCurrentThread);
        scope.Value++;
        Assert.Throws<LockRecursionException>(() => guarded.Lock());
    }

    [Fact]
    public void Wait_with_a_timeout_returns_false_when_nobody_pulses()
    {
        var guarded = new Guarded<int>(0);
        using var scope = guarded.Lock();

        Assert.False(scope.Wait(TimeSpan.Zero));
        Assert.False(scope.Wait(TimeSpan.FromMilliseconds(1)));

        scope.Value = 1;
        Assert.IsType<ArgumentOutOfRangeException>(RefStructs.Catch(scope, static s => s.Wait(TimeSpan.FromMilliseconds(-5))));
    }

    [Fact]
    public void Wait_on_a_disposed_scope_throws()
    {
        var guarded = new Guarded<int>(0);
        var scope = guarded.Lock();
        scope.Dispose();

        Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => s.Wait(TimeSpan.Zero)));
        Assert.IsType<ObjectDisposedException>(RefStructs.Catch(scope, static s => s.Pulse()));
    }

    [Fact]
    public void Monitor_Wait_with_the_value_open_is_reported_to_the_next_thread_that_opens_it()
    {
        var guarded = new Guarded<int>(0);
        using var opened = new ManualResetEventSlim();
        bool pulsed = false;
        var waiter = new Thread(() =>
        {
            using var scope = guarded.Lock();
            opened.Set();
            // The mistake: a raw Monitor.Wait releases the lock while the value is still open.
            pulsed = Monitor.Wait(guarded.SyncRoot, Patience);
        });
        waiter.Start();
        Assert.True(opened.Wait(Patience));

        // The waiter holds the lock from Lock() until Monitor.Wait releases it, so this gets the lock only then.
        var exception = Assert.Throws<InvalidOperationException>(() => guarded.Lock());

        Assert.Contains("Monitor.Wait", exception.Message);
        Assert.False(guarded.IsHeldByCurrentThread);
        lock (guarded.SyncRoot)
            Monitor.PulseAll(guarded.SyncRoot);
        Assert.True(waiter.Join(Patience));
        Assert.True(pulsed);
    }

    private static T OnOtherThread<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        Assert.True(thread.Join(Patience));
        if (failure is not null)
            throw new InvalidOperationException("The other thread failed.", failure);
        return result;
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
