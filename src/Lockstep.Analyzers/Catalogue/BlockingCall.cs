using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>Whether a blocking call sleeps (LS3001) or waits for something else to finish (LS3002).</summary>
internal enum BlockingKind
{
    Sleep,
    Wait,
}

/// <summary>The mechanical rewrite that turns a blocking call into its awaited counterpart, if there is one.</summary>
internal enum AwaitFixKind
{
    /// <summary>No automatic rewrite keeps the behaviour (timeouts, events without async waits, thread joins).</summary>
    None,

    /// <summary><c>Thread.Sleep(x)</c> → <c>await Task.Delay(x)</c>.</summary>
    TaskDelay,

    /// <summary><c>t.Wait()</c> → <c>await t</c>.</summary>
    AwaitInstance,

    /// <summary><c>t.Result</c> or <c>t.GetAwaiter().GetResult()</c> → <c>(await t)</c>.</summary>
    AwaitResult,

    /// <summary><c>sem.Wait(args)</c> → <c>await sem.WaitAsync(args)</c>.</summary>
    WaitAsync,

    /// <summary><c>Task.WaitAll(a, b)</c> → <c>await Task.WhenAll(a, b)</c>.</summary>
    WhenAll,

    /// <summary><c>Task.WaitAny(a, b);</c> as a statement → <c>await Task.WhenAny(a, b);</c>.</summary>
    WhenAny,

    /// <summary>
    /// No awaitable form with the same meaning: the blocking expression runs on a pool thread and the async code awaits it,
    /// <c>await Task.Run(() =&gt; expression)</c>. Decided per finding by the rules, never by the catalogue.
    /// </summary>
    Offload,

    /// <summary>
    /// <c>reader.ReadToEnd()</c> → <c>await reader.ReadToEndAsync()</c>: the library's awaitable twin of a synchronous
    /// read, with the cancellation token in scope when the twin takes one.
    /// </summary>
    AsyncCounterpart,
}

/// <summary>
/// One call that blocks the current thread: what it is, how to describe it, and which task it waits for
/// (so the rules can skip waits on tasks that are already proven complete).
/// </summary>
internal readonly struct BlockingCall
{
    public BlockingCall(BlockingKind kind, string displayName, AwaitFixKind fix, IOperation? awaitedTask, string advice, bool releasesItsLock = false)
    {
        Kind = kind;
        DisplayName = displayName;
        Fix = fix;
        AwaitedTask = awaitedTask;
        Advice = advice;
        ReleasesItsLock = releasesItsLock;
    }

    public BlockingKind Kind { get; }

    /// <summary>Short API name for messages and call chains, e.g. <c>Thread.Sleep</c> or <c>Task.Result</c>.</summary>
    public string DisplayName { get; }

    public AwaitFixKind Fix { get; }

    /// <summary>The task expression whose completion the call waits for, when there is a single one.</summary>
    public IOperation? AwaitedTask { get; }

    /// <summary>The way out, phrased to end the LS3002 message ("await it instead").</summary>
    public string Advice { get; }

    /// <summary>
    /// <c>Monitor.Wait</c>: it must be called with its lock held and releases it while it waits, so it is a blocking wait
    /// in async code even inside a <c>lock</c> body, where the other waits are left to LS5002.
    /// </summary>
    public bool ReleasesItsLock { get; }
}
