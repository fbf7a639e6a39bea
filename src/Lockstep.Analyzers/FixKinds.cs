namespace Lockstep.Analyzers;

// The repairs an analyzer can ask its code fix for, one enum per rule family. The analyzer decides which one fits a
// finding (or none) and records it in the diagnostic through FixProperties; the fixer applies exactly that repair and
// names its action after it, without analysing the code again.

/// <summary>LS1001–LS1003: how a race is repaired.</summary>
internal enum RaceFixKind
{
    /// <summary><c>x++</c>, <c>x += n</c> on an int or long → one <c>Interlocked</c> call.</summary>
    Interlocked,

    /// <summary>The statements from the earlier read (or the check) to the write go in one <c>lock</c>.</summary>
    Lock,

    /// <summary>The body of an expression-bodied lambda becomes a block holding a <c>lock</c>.</summary>
    LockLambdaBody,

    /// <summary>An expression-bodied method, property or accessor becomes a block that runs (or returns) the expression in a <c>lock</c>.</summary>
    LockExpressionBody,

    /// <summary><c>if (_x == null) _x = new X();</c> or <c>_x ??= new X()</c> → <c>LazyInitializer.EnsureInitialized</c>.</summary>
    LazyInitializer,

    /// <summary>A collection local becomes its System.Collections.Concurrent counterpart.</summary>
    ConcurrentCollection,

    /// <summary><c>if (_h != null) _h(x);</c> → <c>var h = _h; if (h != null) h(x);</c>: the field is read once.</summary>
    ReadOnce,
}

/// <summary>LS1004/LS1005: how the named lock comes to be held at the access.</summary>
internal enum HoldLockFixKind
{
    /// <summary>The statement holding the access goes in <c>lock (name)</c>.</summary>
    Statement,

    /// <summary>An expression-bodied member or accessor becomes a block that returns (or runs) the expression in <c>lock (name)</c>.</summary>
    ExpressionBody,
}

/// <summary>LS5001: how the release comes to run on every path.</summary>
internal enum ReleaseFixKind
{
    /// <summary>The code between acquisition and release goes in <c>try</c>, the release in <c>finally</c>.</summary>
    TryFinally,

    /// <summary>A <c>Monitor.Enter(x)</c> … <c>Monitor.Exit(x)</c> pair becomes <c>lock (x) { … }</c>.</summary>
    LockStatement,

    /// <summary><c>try { Enter(ref taken); … } finally { Exit(); }</c>: the release runs only <c>if (taken)</c>.</summary>
    ReleaseOnlyIfTaken,

    /// <summary><c>var s = x.Lock(); … s.Dispose();</c> (a scope of the runtime library's locks) → <c>using (var s = x.Lock()) { … }</c>.</summary>
    UsingScope,
}

/// <summary>LS2001–LS2003: how the lock order is made consistent.</summary>
internal enum LockOrderFixKind
{
    /// <summary>Nested acquisitions (lock statements, using scopes, or acquire/try/finally-release regions) trade places.</summary>
    Reorder,

    /// <summary>Nested lock statements become one <c>using (Locks.AcquireInOrder(a, b))</c>.</summary>
    AcquireInOrder,

    /// <summary><c>lock (a) { x; lock (b) { y } z }</c> → <c>lock (b) { lock (a) { x; { y } z } }</c>: the inner lock is taken first, around the whole block.</summary>
    TakeInnerLockFirst,

    /// <summary>The odd order calls out while holding its lock and nothing it guards needs the call: the call runs after the lock.</summary>
    CallOutsideLock,
}

/// <summary>LS4001: which bounded form replaces the thread per item, connection, message or call.</summary>
internal enum ThreadCreationFixKind
{
    /// <summary>Start-all-then-join-all over a collection → <c>Parallel.ForEach</c> with <c>MaxDegreeOfParallelism</c>.</summary>
    ParallelForEach,

    /// <summary>Fire-and-forget in async code → <c>await queue.EnqueueAsync(work)</c> on a <c>BoundedWorkQueue</c>.</summary>
    BoundedWorkQueue,

    /// <summary>A thread start in a loop of synchronous code → thread-pool work under a <c>Semaphore</c> of one slot per processor.</summary>
    ThreadPoolUnderSemaphore,

    /// <summary><c>Task.Factory.StartNew(…, LongRunning)</c> → the same call without <c>LongRunning</c>: a pool thread.</summary>
    DropLongRunning,

    /// <summary>A background thread started per call (helper, constructor, recursion), or in a loop without a semaphore → thread-pool work.</summary>
    ThreadPool,
}

/// <summary>LS4002: how the workers stop running one after another.</summary>
internal enum WorkerWaitFixKind
{
    /// <summary>The loop collects its workers and waits for them all after the loop.</summary>
    WaitAfterLoop,

    /// <summary>A thread per iteration of an unbounded loop → thread-pool work under a <c>Semaphore</c>, all waited for after the loop.</summary>
    ThreadPoolUnderSemaphore,
}

/// <summary>LS5002: how the blocking call stops holding the lock.</summary>
internal enum BlockingUnderLockFixKind
{
    /// <summary>The blocking statement runs before the lock is taken; a lock left guarding nothing goes.</summary>
    MoveBeforeLock,

    /// <summary>
    /// Under an <c>AsyncLock</c> or a <c>SemaphoreSlim</c> in async code, the call becomes its awaited form (the
    /// <c>AwaitFix</c> kind, or the <c>AsyncCounterpart</c> method): the guarded work stays exclusive and no thread blocks.
    /// </summary>
    Await,
}
