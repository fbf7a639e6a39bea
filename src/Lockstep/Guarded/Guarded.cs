using System;
using System.Threading;

namespace Lockstep;

/// <summary>
/// A value that can only be reached while its lock is held: the runtime counterpart of
/// <see cref="GuardedByAttribute"/>. There is no way to read or write the value without taking the lock.
/// </summary>
/// <typeparam name="T">The type of the guarded value.</typeparam>
/// <remarks>
/// <para>
/// <see cref="Lock"/> takes the lock and returns a <see cref="Scope"/> whose <see cref="Scope.Value"/> is a
/// reference to the value, usable until the scope is disposed; <see cref="Read{TResult}"/>, <see cref="Update(RefAction{T})"/>
/// and <see cref="Exchange"/> do one operation under the lock. Every member is thread-safe. Taking and releasing the
/// lock allocates nothing.
/// </para>
/// <para>
/// The lock is a <see cref="Monitor"/> on <see cref="SyncRoot"/>: a private object, or one passed to the constructor
/// so that several guarded values (and ordinary <c>lock (sync)</c> blocks) are protected by one lock. The monitor is
/// re-entrant, so a thread that already holds <see cref="SyncRoot"/>, through a <c>lock</c> statement or through
/// another <see cref="Guarded{T}"/> sharing it, can open this value. The value itself is not re-entrant: while a
/// thread has it open (a scope not yet disposed, or inside a <see cref="Read{TResult}"/> or <see cref="Update(RefAction{T})"/>
/// callback), opening it again on that thread throws <see cref="LockRecursionException"/> instead of handing out a
/// second live reference, which would let a callback observe or overwrite an update that is half done.
/// </para>
/// <para>
/// A scope belongs to the thread that opened it: on .NET 8 and later it is a <see langword="ref struct"/>, so keeping it
/// open across an <c>await</c> does not compile; on .NET Standard 2.0 using or disposing it on another thread throws
/// <see cref="SynchronizationLockException"/>. To wait for a
/// condition on the value, use <see cref="Scope.Wait(TimeSpan)"/> and <see cref="Scope.PulseAll"/>, not
/// <see cref="Monitor.Wait(object)"/> on <see cref="SyncRoot"/> while a scope is open.
/// </para>
/// <para>
/// When <typeparamref name="T"/> is a reference type, the guard covers the reference and whatever the code under
/// the lock does with it; code that keeps the object (returns it from <see cref="Read{TResult}"/>, stores it
/// elsewhere) can reach it without the lock. Return copies or computed values instead.
/// </para>
/// <example>
/// <code>
/// private readonly Guarded&lt;int&gt; _tickets = new Guarded&lt;int&gt;(100);
///
/// public bool TryBuy()
/// {
///     using (var tickets = _tickets.Lock())
///     {
///         if (tickets.Value == 0)
///             return false;
///         tickets.Value--; // the check and the decrement happen under one lock
///         return true;
///     }
/// }
///
/// public int Remaining => _tickets.Read(static t => t);
/// </code>
/// </example>
/// </remarks>
public sealed class Guarded<T>
{
    private readonly object _sync;
    private T _value;

    // Which thread has the value open and the token of its scope (0 when closed). Written only by a thread that holds
    // _sync, so a thread that finds its own id in _openThread holds the lock and reads _openToken without a race.
    private int _openThread;
    private long _openToken;
    private long _lastToken;

    /// <summary>Guards <paramref name="value"/> with a lock of its own.</summary>
    /// <param name="value">The initial value.</param>
    public Guarded(T value)
    {
        _value = value;
        _sync = new object();
    }

    /// <summary>
    /// Guards <paramref name="value"/> with an existing lock object, so that it is protected by the same lock as other
    /// guarded values or <c>lock (sync)</c> blocks that use it.
    /// </summary>
    /// <param name="value">The initial value.</param>
    /// <param name="sync">
    /// The object to lock with <see cref="Monitor"/>: a private <c>new object()</c> or another guarded value's
    /// <see cref="SyncRoot"/>. Strings, boxed values and <c>System.Threading.Lock</c> are refused (see exceptions).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="sync"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="sync"/> is a boxed value (every boxing makes a new object, so nothing else can lock the same
    /// one), a string (interned strings are shared by unrelated code across the process), or a
    /// <c>System.Threading.Lock</c> (a <c>lock</c> statement on it uses <c>Lock.EnterScope</c>, which a monitor on
    /// the same object does not exclude).
    /// </exception>
    public Guarded(T value, object sync)
    {
        _value = value;
        _sync = ValidateSync(sync);
    }

    /// <summary>
    /// The object this value is locked with. Pass it to another <see cref="Guarded{T}"/> to protect both with one
    /// lock, or <c>lock</c> it to make several operations on the values atomic.
    /// </summary>
    public object SyncRoot => _sync;

    /// <summary>Whether the current thread holds the lock, through this value or any other use of <see cref="SyncRoot"/>.</summary>
    public bool IsHeldByCurrentThread => Monitor.IsEntered(_sync);

    /// <summary>Takes the lock, waiting as long as it takes, and opens the value.</summary>
    /// <returns>A scope that holds the lock until it is disposed; its <see cref="Scope.Value"/> is the value.</returns>
    /// <exception cref="LockRecursionException">This thread already has this value open.</exception>
    /// <exception cref="InvalidOperationException">Another thread has this value open but released the lock without closing it (with <see cref="Monitor.Wait(object)"/> on <see cref="SyncRoot"/>).</exception>
    public Scope Lock()
    {
        Monitor.Enter(_sync);
        return Open();
    }

    /// <summary>Takes the lock if it becomes free within <paramref name="timeout"/>, and opens the value.</summary>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> to try once, <see cref="Timeout.InfiniteTimeSpan"/> to wait as long as it takes.</param>
    /// <param name="scope">When the method returns <see langword="true"/>, a scope that holds the lock until it is disposed; otherwise a default scope, which holds nothing and whose disposal does nothing.</param>
    /// <returns><see langword="true"/> if the lock was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <exception cref="LockRecursionException">This thread already has this value open.</exception>
    /// <exception cref="InvalidOperationException">Another thread has this value open but released the lock without closing it.</exception>
    public bool TryLock(TimeSpan timeout, out Scope scope)
    {
        ValidateTimeout(timeout, nameof(timeout));
        bool taken = false;
        Monitor.TryEnter(_sync, timeout, ref taken);
        if (!taken)
        {
            scope = default;
            return false;
        }

        scope = Open();
        return true;
    }

    /// <summary>Calls <paramref name="reader"/> with the value while holding the lock, and returns its result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="reader">Computes the result from the value. It must not keep a reference-type value for use after it returns.</param>
    /// <returns>What <paramref name="reader"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="LockRecursionException">This thread already has this value open, for example when called from a callback of this value.</exception>
    public TResult Read<TResult>(Func<T, TResult> reader)
    {
        if (reader is null)
            throw new ArgumentNullException(nameof(reader));

        Monitor.Enter(_sync);
        Open();
        try
        {
            return reader(_value);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Calls <paramref name="update"/> with a reference to the value while holding the lock.</summary>
    /// <param name="update">Changes the value in place, for example <c>(ref int v) =&gt; v++</c>. If it throws, the changes it made stay.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="LockRecursionException">This thread already has this value open, for example when called from a callback of this value.</exception>
    public void Update(RefAction<T> update)
    {
        if (update is null)
            throw new ArgumentNullException(nameof(update));

        Monitor.Enter(_sync);
        Open();
        try
        {
            update(ref _value);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Calls <paramref name="update"/> with a reference to the value while holding the lock, and returns its result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="update">Changes the value in place and returns a result, for example <c>(ref int v) =&gt; ++v</c>. If it throws, the changes it made stay.</param>
    /// <returns>What <paramref name="update"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="LockRecursionException">This thread already has this value open, for example when called from a callback of this value.</exception>
    public TResult Update<TResult>(RefFunc<T, TResult> update)
    {
        if (update is null)
            throw new ArgumentNullException(nameof(update));

        Monitor.Enter(_sync);
        Open();
        try
        {
            return update(ref _value);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Replaces the value under the lock and returns the one it replaced.</summary>
    /// <param name="value">The new value.</param>
    /// <returns>The value before the call.</returns>
    /// <exception cref="LockRecursionException">This thread already has this value open.</exception>
    public T Exchange(T value)
    {
        Monitor.Enter(_sync);
        Open();
        T previous = _value;
        _value = value;
        Close();
        return previous;
    }

    // Called right after this thread entered _sync; releases it again before throwing.
    private Scope Open()
    {
        int thread = Environment.CurrentManagedThreadId;
        int openThread = _openThread;
        if (openThread != 0)
        {
            Monitor.Exit(_sync);
            throw openThread == thread ? AlreadyOpen() : OpenWithoutLock(openThread);
        }

        long token = ++_lastToken;
        _openThread = thread;
        _openToken = token;
        return new Scope(this, token, thread);
    }

    private void Close()
    {
        _openThread = 0;
        _openToken = 0;
        Monitor.Exit(_sync);
    }

    // Throws unless the scope (token, thread) is the one open now and the current thread is its thread. If so, the
    // current thread holds _sync.
    private void EnsureOpen(long token, int thread)
    {
        int current = Environment.CurrentManagedThreadId;
        if (thread != current)
            throw WrongThread(thread, current);
        if (_openThread != current || _openToken != token)
            throw Disposed();
    }

    private static object ValidateSync(object sync)
    {
        if (sync is null)
            throw new ArgumentNullException(nameof(sync), "Pass the object to lock, for example another guarded value's SyncRoot, or use the constructor without one to get a private lock.");
        if (sync is string)
            throw new ArgumentException("A string is a poor lock: interned strings are shared by unrelated code across the process. Pass a private object, for example new object().", nameof(sync));
        if (sync is ValueType)
            throw new ArgumentException($"A boxed {sync.GetType().Name} cannot be shared as a lock: every boxing makes a new object, so no other code can lock the same one. Pass a private object, for example new object().", nameof(sync));
        if (sync.GetType().FullName == "System.Threading.Lock")
            throw new ArgumentException("A System.Threading.Lock is not a monitor: 'lock' statements on it use Lock.EnterScope, which a Guarded<T> (it locks with Monitor) would not exclude. Pass an object shared with Monitor-based code, for example new object().", nameof(sync));
        return sync;
    }

    private static void ValidateTimeout(TimeSpan timeout, string parameterName)
    {
        long milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds < -1 || milliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(parameterName, timeout, "The timeout must be between 0 and Int32.MaxValue milliseconds, or Timeout.InfiniteTimeSpan (-1 ms) to wait without limit.");
    }

    private static string Name => $"Guarded<{typeof(T).Name}>";

    private static LockRecursionException AlreadyOpen() => new(
        $"This thread already has this {Name} open (a scope from Lock() or TryLock() not yet disposed, or a Read/Update callback). "
        + "Opening it again would hand out a second live reference to the value; use the one already open, or dispose its scope first.");

    private static InvalidOperationException OpenWithoutLock(int openThread) => new(
        $"Thread {openThread} has this {Name} open but does not hold its lock: it released the lock without disposing the scope, "
        + "most likely with Monitor.Wait on SyncRoot. Wait through Scope.Wait(), which closes the value while it waits.");

    private static SynchronizationLockException WrongThread(int scopeThread, int current) => new(
        $"This {Name}.Scope was opened on thread {scopeThread} and cannot be used or disposed on thread {current}: a lock is held and released by "
        + "the thread that took it. Use it on thread " + scopeThread + ", and do not keep a scope open across an await or hand it to another thread.");

    private static ObjectDisposedException Disposed() => new(
        Name + ".Scope",
        $"This {Name}.Scope has been disposed, so it no longer holds the lock and the value may be in use by another thread. Take the lock again with Lock().");

    private static InvalidOperationException NotAcquired() => new(
        $"This {Name}.Scope is default: it was not returned by Lock() or by a successful TryLock(), so it holds no lock. Check TryLock's result before using the scope.");

    /// <summary>
    /// The lock on a <see cref="Guarded{T}"/>, held from <see cref="Guarded{T}.Lock"/> or a successful
    /// <see cref="Guarded{T}.TryLock"/> until <see cref="Dispose"/>. Use it in a <c>using</c> statement on the thread
    /// that took it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The scope is bound to the thread that took the lock (a <see cref="Monitor"/> is released by its owner). On .NET 8
    /// and later it is a <see langword="ref struct"/>, so the compiler keeps it on that thread: holding it across an
    /// <c>await</c> is error CS4007, and it cannot be stored in a field, boxed or captured by a lambda. This needs C# 8 or
    /// later for <c>using</c>, and C# 13 or later to open a value inside an <c>async</c> method at all. On .NET Standard
    /// 2.0 it is an ordinary struct implementing <see cref="IDisposable"/>, and using it on another thread throws
    /// <see cref="SynchronizationLockException"/>.
    /// </para>
    /// <para>
    /// Copies refer to the same lock, and once any copy is disposed, using or disposing any of them throws
    /// <see cref="ObjectDisposedException"/>.
    /// </para>
    /// </remarks>
#if NET
    public readonly ref struct Scope
#else
    public readonly struct Scope : IDisposable
#endif
    {
        private readonly Guarded<T>? _owner;
        private readonly long _token;
        private readonly int _thread;

        internal Scope(Guarded<T> owner, long token, int thread)
        {
            _owner = owner;
            _token = token;
            _thread = thread;
        }

        /// <summary>A reference to the guarded value, valid until the scope is disposed: read it, assign it, or pass it by <c>ref</c>.</summary>
        /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock.</exception>
        /// <exception cref="InvalidOperationException">The scope is default (a failed <see cref="Guarded{T}.TryLock"/>).</exception>
        public ref T Value
        {
            get
            {
                Guarded<T> owner = Owner();
                owner.EnsureOpen(_token, _thread);
                return ref owner._value;
            }
        }

        /// <summary>
        /// Releases the lock and waits until another thread calls <see cref="Pulse"/> or <see cref="PulseAll"/>, then
        /// takes the lock again; the value is closed while waiting, so other threads can open it.
        /// </summary>
        /// <remarks>
        /// Check the condition in a loop: <c>while (scope.Value.Count == 0) scope.Wait();</c>. The wait releases the
        /// lock entirely, even if this thread also holds it through another scope on the same <see cref="Guarded{T}.SyncRoot"/>;
        /// do not wait while such a scope is open.
        /// </remarks>
        /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock.</exception>
        /// <exception cref="InvalidOperationException">The scope is default.</exception>
        public void Wait() => Wait(Timeout.InfiniteTimeSpan);

        /// <summary>
        /// Releases the lock and waits until another thread calls <see cref="Pulse"/> or <see cref="PulseAll"/> or
        /// <paramref name="timeout"/> passes, then takes the lock again (in both cases before returning).
        /// </summary>
        /// <param name="timeout">How long to wait for a pulse, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
        /// <returns><see langword="true"/> if pulsed; <see langword="false"/> if the timeout passed first.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
        /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock.</exception>
        /// <exception cref="InvalidOperationException">The scope is default.</exception>
        public bool Wait(TimeSpan timeout)
        {
            ValidateTimeout(timeout, nameof(timeout));
            Guarded<T> owner = Owner();
            owner.EnsureOpen(_token, _thread);

            // Close the value for the wait: another thread may open it as soon as Monitor.Wait releases the lock, and
            // it has closed it again by the time Monitor.Wait gets the lock back (it holds the lock while open).
            owner._openThread = 0;
            owner._openToken = 0;
            try
            {
                return Monitor.Wait(owner._sync, timeout);
            }
            finally
            {
                // Monitor.Wait returns, or throws ThreadInterruptedException, only with the lock held again.
                owner._openThread = _thread;
                owner._openToken = _token;
            }
        }

        /// <summary>Wakes one thread waiting in <see cref="Wait()"/> on this lock; it runs once this scope is disposed.</summary>
        /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock.</exception>
        /// <exception cref="InvalidOperationException">The scope is default.</exception>
        public void Pulse()
        {
            Guarded<T> owner = Owner();
            owner.EnsureOpen(_token, _thread);
            Monitor.Pulse(owner._sync);
        }

        /// <summary>Wakes every thread waiting in <see cref="Wait()"/> on this lock; they run one at a time once this scope is disposed.</summary>
        /// <exception cref="ObjectDisposedException">The scope has been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock.</exception>
        /// <exception cref="InvalidOperationException">The scope is default.</exception>
        public void PulseAll()
        {
            Guarded<T> owner = Owner();
            owner.EnsureOpen(_token, _thread);
            Monitor.PulseAll(owner._sync);
        }

        /// <summary>Closes the value and releases the lock. Disposing a default scope (a failed <see cref="Guarded{T}.TryLock"/>) does nothing.</summary>
        /// <exception cref="ObjectDisposedException">The scope, or a copy of it, has already been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the lock; the lock stays held.</exception>
        public void Dispose()
        {
            if (_owner is not { } owner)
                return;

            owner.EnsureOpen(_token, _thread);
            owner.Close();
        }

        private Guarded<T> Owner() => _owner ?? throw NotAcquired();
    }
}
