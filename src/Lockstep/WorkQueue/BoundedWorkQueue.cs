using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep;

/// <summary>
/// Runs work items on the thread pool, at most <see cref="MaxConcurrency"/> at a time, with at most
/// <see cref="Capacity"/> more waiting: the bounded replacement for starting a thread per item, per connection or per
/// message. Producers that find the queue full wait (<see cref="EnqueueAsync(Action, CancellationToken)"/>) or are told
/// so (<see cref="TryEnqueue(Action)"/>); <see cref="CompleteAsync()"/> stops intake, runs everything already accepted and
/// reports every failure.
/// </summary>
/// <remarks>
/// <para>
/// <b>Work items.</b> An <see cref="Action"/>, a <see cref="Func{Task}"/>, or a <see cref="Func{CancellationToken, Task}"/>
/// that receives <see cref="ShutdownToken"/>. An async item occupies its slot until its task completes, not only while its
/// first synchronous part runs, so <see cref="MaxConcurrency"/> bounds the operations in flight. Items start in the order
/// they were accepted. Each item runs with the <see cref="ExecutionContext"/> (<c>AsyncLocal</c> values, culture…) of the
/// code that enqueued it, as with <see cref="Task.Run(Action)"/>; what an item changes there does not leak to the next item.
/// </para>
/// <para>
/// <b>Workers.</b> No thread is created: when an item is accepted and fewer than <see cref="MaxConcurrency"/> items are
/// running, a worker is queued to the thread pool with that item; a worker that finishes an item takes the next waiting
/// one and returns its thread to the pool when none is left. While an async item awaits, its worker holds no thread, and
/// it resumes on the thread pool (never inline on the thread that completed the item's task). A blocking item holds a
/// pool thread for as long as it blocks; the pool adds threads when its threads block, so blocked items delay but do not
/// deadlock the queue, or other work. When items block for long and <see cref="MaxConcurrency"/> is well above the
/// processor count, raise <see cref="ThreadPool.SetMinThreads(int, int)"/> to it, or make the items async, so the pool
/// does not have to grow slowly. Work items that wait for other items of the same queue (or enqueue into it with
/// <see cref="EnqueueAsync(Action, CancellationToken)"/> and wait for space) can deadlock a bounded queue like any bounded
/// pool; such items should use <see cref="TryEnqueue(Action)"/>.
/// </para>
/// <para>
/// <b>Failures.</b> An exception thrown by an item (or carried by its faulted or cancelled task; every inner exception of
/// a faulted task) never stops the other items: it is recorded, passed to <see cref="BoundedWorkQueueOptions.ItemFailed"/>
/// if set, and reported when the queue completes, through <see cref="CompleteAsync()"/> (an
/// <see cref="AggregateException"/> listing every failure in the order they happened), <see cref="Completion"/>, and
/// <see cref="DisposeAsync"/> for the failures nothing reported before (not passed to the callback, not thrown). An item returning a <see langword="null"/> task is a failure
/// (<see cref="InvalidOperationException"/>). Failures are kept until the queue completes: a long-lived queue whose items
/// fail often should catch inside its items.
/// </para>
/// <para>
/// <b>Nothing accepted is lost.</b> An item is accepted when <see cref="TryEnqueue(Action)"/> returns <see langword="true"/>
/// or the task of <see cref="EnqueueAsync(Action, CancellationToken)"/> completes successfully; from then on it either
/// runs or, only if the queue is aborted, appears in the failures as an <see cref="OperationCanceledException"/>. A call
/// that does not accept its item says so: <see langword="false"/>, an <see cref="InvalidOperationException"/>, or a
/// cancelled task.
/// </para>
/// <para>
/// <b>Completion and abort.</b> <see cref="CompleteAsync()"/> and <see cref="DisposeAsync"/> finish gracefully: nothing is
/// cancelled. <see cref="CompleteAsync(CancellationToken)"/> aborts the queue when its token is cancelled before the queue
/// has finished: items that no worker has taken yet are not started and are reported as cancelled, an item a worker has
/// taken but not yet started is reported the same way, <see cref="ShutdownToken"/> is cancelled so running items can stop
/// early, and the call throws <see cref="OperationCanceledException"/> at once instead of waiting for the running items.
/// Those still finish on their own (a thread cannot be stopped from outside); <see cref="Completion"/>, a later
/// <see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> wait for them and report everything, the cancelled items
/// included.
/// </para>
/// <para>
/// Every member is thread-safe. Do not await <see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> inside one of
/// the queue's own items: they wait for that item to finish. Calling <see cref="CompleteAsync()"/> there without awaiting
/// it, to stop intake, is fine.
/// </para>
/// <example>
/// A server that handles each accepted connection on the queue instead of on a thread of its own:
/// <code>
/// await using var handlers = new BoundedWorkQueue(new BoundedWorkQueueOptions
/// {
///     MaxConcurrency = 64,
///     Capacity = 256,
///     Name = "echo-clients",
///     ItemFailed = e => log.Warn(e),
/// });
///
/// while (!stopping.IsCancellationRequested)
/// {
///     TcpClient client = await listener.AcceptTcpClientAsync(stopping);
///     // Waits while 64 clients are being served and 256 more are waiting: accepting slows down instead of
///     // starting ever more threads.
///     await handlers.EnqueueAsync(ct => ServeAsync(client, ct), stopping);
/// }
///
/// await handlers.CompleteAsync(); // serves the clients already accepted; throws if any handler failed
/// </code>
/// </example>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class BoundedWorkQueue : IAsyncDisposable
{
    private readonly object _sync = new object();
    private readonly int _maxConcurrency;
    private readonly int _capacity;
    private readonly string? _name;
    private readonly Action<Exception>? _itemFailed;
    private readonly CancellationTokenSource _shutdown = new CancellationTokenSource();
    private readonly TaskCompletionSource<bool> _completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

    // Everything below is guarded by _sync. Invariant: items wait in _queue only while _running == _maxConcurrency, and
    // producers wait (the waiter list) only while, in addition, _queue holds _capacity items. So a worker that finishes
    // an item and finds the queue empty and no waiter can retire, and an accepted item never sits behind an idle slot.
    private readonly Queue<WorkItem> _queue = new Queue<WorkItem>();
    private readonly List<Exception> _failures = new List<Exception>();

    // The failures nobody has been told about yet: not passed to ItemFailed, not thrown by CompleteAsync or DisposeAsync.
    // DisposeAsync throws only these.
    private readonly List<Exception> _unreported = new List<Exception>();
    private EnqueueWaiter? _firstWaiter;
    private EnqueueWaiter? _lastWaiter;

    // Items taken by a worker and not yet finished (running, or about to start on a worker the pool has yet to run).
    private int _running;
    private bool _addingCompleted;
    private bool _abortInProgress;
    private bool _finished;

    // Also read by workers without the lock, before they start each item.
    private volatile bool _aborted;

    // Test hooks, null outside tests: when set, they start workers instead of the thread pool (see Dispatch), and resume
    // a worker once its async item's task completes instead of a raw awaiter continuation. The systematic tests set
    // both so that every worker step is a task their scheduler controls.
    internal Action<Action>? DispatchForTest;
    internal Action<Task, Action>? ResumeForTest;

    /// <summary>
    /// Creates a queue that runs at most <see cref="Environment.ProcessorCount"/> items at once and holds at most
    /// <see cref="BoundedWorkQueueOptions.DefaultCapacity"/> waiting items.
    /// </summary>
    public BoundedWorkQueue()
        : this(Environment.ProcessorCount, BoundedWorkQueueOptions.DefaultCapacity, name: null, itemFailed: null)
    {
    }

    /// <summary>Creates a queue that runs at most <paramref name="maxConcurrency"/> items at once.</summary>
    /// <param name="maxConcurrency">The most work items that run at the same time; at least 1.</param>
    /// <param name="capacity">
    /// The most work items that wait for a free worker; at least 0 (0: an item is accepted only when a worker is free).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxConcurrency"/> is less than 1, or <paramref name="capacity"/> is negative.
    /// </exception>
    public BoundedWorkQueue(int maxConcurrency, int capacity)
        : this(
            ValidMaxConcurrency(maxConcurrency, nameof(maxConcurrency), nameof(maxConcurrency)),
            ValidCapacity(capacity, nameof(capacity), nameof(capacity)),
            name: null,
            itemFailed: null)
    {
    }

    /// <summary>Creates a queue with the given settings, which are copied: later changes to them do not affect it.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="BoundedWorkQueueOptions.MaxConcurrency"/> is less than 1, or <see cref="BoundedWorkQueueOptions.Capacity"/>
    /// is negative.
    /// </exception>
    public BoundedWorkQueue(BoundedWorkQueueOptions options)
        : this(
            ValidMaxConcurrency(NotNull(options).MaxConcurrency, nameof(options), "options.MaxConcurrency"),
            ValidCapacity(options.Capacity, nameof(options), "options.Capacity"),
            options.Name,
            options.ItemFailed)
    {
    }

    private BoundedWorkQueue(int maxConcurrency, int capacity, string? name, Action<Exception>? itemFailed)
    {
        _maxConcurrency = maxConcurrency;
        _capacity = capacity;
        _name = name;
        _itemFailed = itemFailed;
    }

    /// <summary>The most work items that run at the same time.</summary>
    public int MaxConcurrency => _maxConcurrency;

    /// <summary>The most work items that wait for a free worker.</summary>
    public int Capacity => _capacity;

    /// <summary>The queue's name from <see cref="BoundedWorkQueueOptions.Name"/>, or <see langword="null"/>.</summary>
    public string? Name => _name;

    /// <summary>
    /// The number of work items taken by a worker and not yet finished: running, or about to start. Never more than
    /// <see cref="MaxConcurrency"/>. A snapshot: other threads may change it at once.
    /// </summary>
    public int RunningCount
    {
        get
        {
            lock (_sync)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// The number of accepted work items waiting for a free worker. Never more than <see cref="Capacity"/>; producers
    /// waiting in <see cref="EnqueueAsync(Action, CancellationToken)"/> are not counted. A snapshot.
    /// </summary>
    public int QueuedCount
    {
        get
        {
            lock (_sync)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Whether intake has stopped: <see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> has been called. From then on
    /// <see cref="TryEnqueue(Action)"/> returns <see langword="false"/> and <see cref="EnqueueAsync(Action, CancellationToken)"/>
    /// throws. Items already accepted may still be running; <see cref="Completion"/> says when they are done.
    /// </summary>
    public bool IsAddingCompleted => Volatile.Read(ref _addingCompleted);

    /// <summary>
    /// Cancelled when the queue is aborted (the token passed to <see cref="CompleteAsync(CancellationToken)"/> is
    /// cancelled before the queue finished); never cancelled by a graceful <see cref="CompleteAsync()"/> or
    /// <see cref="DisposeAsync"/>. Work items given as <see cref="Func{CancellationToken, Task}"/> receive it; others can
    /// read it from here.
    /// </summary>
    /// <remarks>
    /// Callbacks registered on it run on the thread that aborts the queue; an exception they throw is reported as a
    /// failure. To give one item a token of its own as well, capture it in the work item and link the two.
    /// </remarks>
    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>
    /// Completes when intake has stopped and every accepted item has finished or been reported as not started.
    /// Succeeds when nothing failed; otherwise faults with every failure (<see cref="Task.Exception"/> lists them all;
    /// <see langword="await"/> rethrows only the first, <see cref="CompleteAsync()"/> throws them all). Never completes
    /// while intake is open.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Accepts a synchronous work item if there is room: a free worker, or a free place in the queue.
    /// </summary>
    /// <param name="work">The work item. It runs on a thread pool thread.</param>
    /// <returns>
    /// <see langword="true"/> if the item was accepted (it will run); <see langword="false"/> if <see cref="Capacity"/>
    /// items are already waiting, or intake has stopped.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    public bool TryEnqueue(Action work) => TryEnqueueCore(NotNull(work, nameof(work)));

    /// <summary>Accepts an async work item if there is room; its slot stays taken until its task completes.</summary>
    /// <param name="work">Starts the work item and returns its task. Called on a thread pool thread.</param>
    /// <returns>
    /// <see langword="true"/> if the item was accepted (it will run); <see langword="false"/> if <see cref="Capacity"/>
    /// items are already waiting, or intake has stopped.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    public bool TryEnqueue(Func<Task> work) => TryEnqueueCore(NotNull(work, nameof(work)));

    /// <summary>
    /// Accepts an async work item that receives <see cref="ShutdownToken"/>, if there is room; its slot stays taken until
    /// its task completes.
    /// </summary>
    /// <param name="work">Starts the work item with <see cref="ShutdownToken"/> and returns its task. Called on a thread pool thread.</param>
    /// <returns>
    /// <see langword="true"/> if the item was accepted (it will run); <see langword="false"/> if <see cref="Capacity"/>
    /// items are already waiting, or intake has stopped.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    public bool TryEnqueue(Func<CancellationToken, Task> work) => TryEnqueueCore(NotNull(work, nameof(work)));

    /// <summary>
    /// Accepts a synchronous work item, waiting while the queue is full (back-pressure). Completes when the item has been
    /// accepted, not when it has run.
    /// </summary>
    /// <param name="work">The work item. It runs on a thread pool thread.</param>
    /// <param name="cancellationToken">
    /// Stops the wait for room. A cancelled call accepts nothing; once the item is accepted the token has no effect on it.
    /// </param>
    /// <returns>
    /// A task that completes when the item is accepted, synchronously when there is room. Producers waiting for room are
    /// served in the order they arrived. It is cancelled if <paramref name="cancellationToken"/> is cancelled first (also
    /// when it already is on entry), and faults with <see cref="InvalidOperationException"/> if intake stops while it
    /// waits; in both cases the item was not accepted.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Intake has already stopped (<see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> was called).</exception>
    public ValueTask EnqueueAsync(Action work, CancellationToken cancellationToken = default) =>
        EnqueueCore(NotNull(work, nameof(work)), cancellationToken);

    /// <summary>
    /// Accepts an async work item, waiting while the queue is full (back-pressure); its slot stays taken until its task
    /// completes. Completes when the item has been accepted, not when it has run.
    /// </summary>
    /// <param name="work">Starts the work item and returns its task. Called on a thread pool thread.</param>
    /// <param name="cancellationToken">
    /// Stops the wait for room. A cancelled call accepts nothing; once the item is accepted the token has no effect on it.
    /// </param>
    /// <returns>
    /// A task that completes when the item is accepted; cancelled if <paramref name="cancellationToken"/> is cancelled
    /// first, faulted with <see cref="InvalidOperationException"/> if intake stops while it waits (the item was then not
    /// accepted). See <see cref="EnqueueAsync(Action, CancellationToken)"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Intake has already stopped (<see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> was called).</exception>
    public ValueTask EnqueueAsync(Func<Task> work, CancellationToken cancellationToken = default) =>
        EnqueueCore(NotNull(work, nameof(work)), cancellationToken);

    /// <summary>
    /// Accepts an async work item that receives <see cref="ShutdownToken"/>, waiting while the queue is full
    /// (back-pressure); its slot stays taken until its task completes. Completes when the item has been accepted, not
    /// when it has run.
    /// </summary>
    /// <param name="work">Starts the work item with <see cref="ShutdownToken"/> and returns its task. Called on a thread pool thread.</param>
    /// <param name="cancellationToken">
    /// Stops the wait for room. A cancelled call accepts nothing; once the item is accepted the token has no effect on it
    /// (the item receives <see cref="ShutdownToken"/>, not this token).
    /// </param>
    /// <returns>
    /// A task that completes when the item is accepted; cancelled if <paramref name="cancellationToken"/> is cancelled
    /// first, faulted with <see cref="InvalidOperationException"/> if intake stops while it waits (the item was then not
    /// accepted). See <see cref="EnqueueAsync(Action, CancellationToken)"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Intake has already stopped (<see cref="CompleteAsync()"/> or <see cref="DisposeAsync"/> was called).</exception>
    public ValueTask EnqueueAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
        EnqueueCore(NotNull(work, nameof(work)), cancellationToken);

    /// <summary>
    /// Stops intake, waits until every accepted item has run, and reports their failures. Calling it again, or from several
    /// threads, waits for the same completion.
    /// </summary>
    /// <returns>A task that completes when every accepted item has finished.</returns>
    /// <exception cref="AggregateException">
    /// One or more items failed: <see cref="AggregateException.InnerExceptions"/> lists every exception, in the order they
    /// happened, and every item reported as not started if the queue was aborted. The other items all ran.
    /// </exception>
    /// <remarks>
    /// Producers waiting in <see cref="EnqueueAsync(Action, CancellationToken)"/> are released with an
    /// <see cref="InvalidOperationException"/> (their items were not accepted). Nothing is cancelled.
    /// </remarks>
    public Task CompleteAsync() => CompleteAsync(CancellationToken.None);

    /// <summary>
    /// Stops intake and waits until every accepted item has run, like <see cref="CompleteAsync()"/>; if
    /// <paramref name="cancellationToken"/> is cancelled first, aborts the queue instead and stops waiting.
    /// </summary>
    /// <param name="cancellationToken">
    /// Aborts the queue if cancelled before it has finished: items not yet started are not started and are reported as
    /// cancelled, and <see cref="ShutdownToken"/> is cancelled for the running ones.
    /// </param>
    /// <returns>A task that completes when every accepted item has finished.</returns>
    /// <exception cref="AggregateException">The queue finished and one or more items failed; see <see cref="CompleteAsync()"/>.</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled before the queue finished, which aborted it. Items that were
    /// running go on until they end; <see cref="Completion"/>, a later <see cref="CompleteAsync()"/> or
    /// <see cref="DisposeAsync"/> wait for them and report every failure, including one
    /// <see cref="OperationCanceledException"/> for each item that was not started.
    /// </exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        StopIntake();
        Task completion = _completion.Task;
        if (!completion.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var abort = new AbortRequest(this);
            using (cancellationToken.Register(static state => ((AbortRequest)state!).Run(), abort))
            {
                await Task.WhenAny(completion, abort.Done).ConfigureAwait(false);
            }

            // The request marks itself before the abort can publish completion, so a queue this call aborted is seen as
            // aborted here even when completion won the race above.
            if (abort.Aborted)
                throw new OperationCanceledException(Describe() + " was aborted before it finished: items not yet started were not started and are reported as cancelled by Completion.", cancellationToken);
        }

        await WaitQuietlyAsync(completion).ConfigureAwait(false);
        ThrowIfFailed(onlyIfUnreported: false);
    }

    /// <summary>
    /// Stops intake and waits until every accepted item has run, like <see cref="CompleteAsync()"/>, but does not throw
    /// for work failures that were already reported: it throws only the failures nobody has been told about, so that
    /// <c>await using</c> never repeats a report and never hides one.
    /// </summary>
    /// <returns>A task that completes when every accepted item has finished.</returns>
    /// <exception cref="AggregateException">
    /// One or more failures had not been reported yet (see the remarks); <see cref="AggregateException.InnerExceptions"/>
    /// lists only those, in the order they happened.
    /// </exception>
    /// <remarks>
    /// <para>
    /// <b>The contract.</b> A failure is reported when it is passed to <see cref="BoundedWorkQueueOptions.ItemFailed"/>,
    /// or thrown by <see cref="CompleteAsync()"/> or an earlier <see cref="DisposeAsync"/>. Disposing throws for the
    /// others, and only once: with an <see cref="BoundedWorkQueueOptions.ItemFailed"/> callback (which sees every failure
    /// as it happens) it throws nothing but exceptions that the callback itself threw; after a <see cref="CompleteAsync()"/>
    /// that threw it throws nothing; and a block that neither calls <see cref="CompleteAsync()"/> nor sets a callback still
    /// learns of every failure here, instead of losing it. Observing <see cref="Completion"/> does not count as reporting
    /// (the queue cannot see who looks at a task).
    /// </para>
    /// <para>
    /// Waits for running items even after an abort; an item that never ends keeps it waiting. Calling it again is
    /// harmless. The queue holds no unmanaged resources: an abandoned queue that is not disposed loses nothing but the
    /// report, and <see cref="TaskScheduler.UnobservedTaskException"/> then sees the failures of its
    /// <see cref="Completion"/>.
    /// </para>
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        StopIntake();
        await WaitQuietlyAsync(_completion.Task).ConfigureAwait(false);
        ThrowIfFailed(onlyIfUnreported: true);
    }

    /// <summary>Describes the queue and its current counts, for logs and the debugger.</summary>
    /// <returns>For example <c>BoundedWorkQueue 'echo-clients': 4/4 running, 17/256 queued</c>.</returns>
    public override string ToString()
    {
        // Without the lock, so the debugger can show it while another thread holds the lock; the counts may then be
        // a moment apart.
        int running = Volatile.Read(ref _running);
        int queued = _queue.Count;
        bool completing = Volatile.Read(ref _addingCompleted);

        string name = _name is null ? "" : $" '{_name}'";
        string state = completing ? (_aborted ? ", aborted" : ", completing") : "";
        return $"BoundedWorkQueue{name}: {running}/{_maxConcurrency} running, {queued}/{_capacity} queued{state}";
    }

    private bool TryEnqueueCore(object work)
    {
        var item = new WorkItem(work, ExecutionContext.Capture());
        lock (_sync)
        {
            if (_addingCompleted)
                return false;

            if (_running < _maxConcurrency)
            {
                _running++;
            }
            else if (_queue.Count < _capacity)
            {
                _queue.Enqueue(item);
                return true;
            }
            else
            {
                return false;
            }
        }

        StartWorker(item);
        return true;
    }

    private ValueTask EnqueueCore(object work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask(Task.FromCanceled(cancellationToken));

        var item = new WorkItem(work, ExecutionContext.Capture());
        lock (_sync)
        {
            if (_addingCompleted)
                throw IntakeStopped();

            if (_running < _maxConcurrency)
            {
                _running++;
            }
            else if (_queue.Count < _capacity)
            {
                _queue.Enqueue(item);
                return default;
            }
            else
            {
                var waiter = new EnqueueWaiter(this, item, cancellationToken);
                AppendWaiter(waiter);
                if (cancellationToken.CanBeCanceled)
                {
                    // Registered under the lock: if the token is cancelled meanwhile the callback runs here (the lock is
                    // re-entrant) or waits for the lock on the cancelling thread; either way it finds the waiter listed.
                    waiter.Registration = RegisterWithoutContext(cancellationToken, static state => ((EnqueueWaiter)state!).Owner.CancelWaiter((EnqueueWaiter)state!), waiter);
                }

                return new ValueTask(waiter.Task);
            }
        }

        StartWorker(item);
        return default;
    }

    // Called by a worker that has finished an item: hands it the next one, or retires it.
    private bool TryTakeNext(out WorkItem next)
    {
        EnqueueWaiter? admitted;
        bool finish = false;
        bool hasNext = true;
        lock (_sync)
        {
            if (_queue.Count > 0)
            {
                next = _queue.Dequeue();
                admitted = TakeFirstWaiter();
                if (admitted is not null)
                    _queue.Enqueue(admitted.Item); // the longest-waiting producer gets the place just freed
            }
            else if ((admitted = TakeFirstWaiter()) is not null)
            {
                next = admitted.Item; // capacity 0: the producer hands its item straight to this worker
            }
            else
            {
                next = default;
                hasNext = false;
                _running--;
                finish = TryFinishLocked();
            }
        }

        admitted?.Accept();
        if (finish)
            PublishCompletion();

        return hasNext;
    }

    private void StopIntake()
    {
        EnqueueWaiter? waiters;
        bool finish;
        lock (_sync)
        {
            if (_addingCompleted)
                return;

            _addingCompleted = true;
            waiters = DetachWaiters();
            finish = TryFinishLocked();
        }

        for (var waiter = waiters; waiter is not null; waiter = waiter.Next)
            waiter.Reject(new InvalidOperationException(Describe() + " was completed while this call waited for room; the work item was not enqueued."));

        if (finish)
            PublishCompletion();
    }

    // First half of an abort, under the lock: stops intake and takes every waiting item out of the queue. Only an abort
    // that returns Started goes on to EndAbort; another one that got here first reports everything.
    private AbortStart BeginAbort(out WorkItem[] notStarted, out EnqueueWaiter? waiters)
    {
        lock (_sync)
        {
            notStarted = Array.Empty<WorkItem>();
            waiters = null;
            if (_finished)
                return AbortStart.AlreadyFinished;

            if (_aborted)
                return AbortStart.AlreadyAborted;

            _addingCompleted = true;
            _aborted = true;
            _abortInProgress = true; // completion waits until the items below are reported
            waiters = DetachWaiters();
            notStarted = _queue.ToArray();
            _queue.Clear();
            return AbortStart.Started;
        }
    }

    private void EndAbort(WorkItem[] notStarted, EnqueueWaiter? waiters)
    {
        for (var waiter = waiters; waiter is not null; waiter = waiter.Next)
            waiter.Reject(new InvalidOperationException(Describe() + " was aborted while this call waited for room; the work item was not enqueued."));

        foreach (var _ in notStarted)
            ReportFailure(NotStarted());

        try
        {
            _shutdown.Cancel();
        }
        catch (AggregateException e)
        {
            foreach (var inner in e.InnerExceptions)
                ReportFailure(inner);
        }

        bool finish;
        lock (_sync)
        {
            _abortInProgress = false;
            finish = TryFinishLocked();
        }

        if (finish)
            PublishCompletion();
    }

    private bool TryFinishLocked()
    {
        if (_finished || !_addingCompleted || _running != 0 || _abortInProgress)
            return false;

        _finished = true;
        return true;
    }

    // Only once _finished is set (so _failures no longer changes), outside the lock.
    private void PublishCompletion()
    {
        if (_failures.Count == 0)
            _completion.TrySetResult(true);
        else
            _completion.TrySetException(_failures);
    }

    private void ThrowIfFailed(bool onlyIfUnreported)
    {
        Exception[] failures;
        lock (_sync)
        {
            List<Exception> toThrow = onlyIfUnreported ? _unreported : _failures;
            if (toThrow.Count == 0)
                return;

            failures = toThrow.ToArray();
            _unreported.Clear();
        }

        // The failures reach the caller, so the faulted Completion need not be reported as unobserved.
        _ = _completion.Task.Exception;
        string items = failures.Length == 1 ? "1 work item" : $"{failures.Length} work items";
        throw new AggregateException($"{Describe()} finished; {items} failed or did not run (see InnerExceptions). All other items ran.", failures);
    }

    // Records a failure; only while the queue cannot finish (a worker holding a slot, or an abort in progress).
    private void ReportFailure(Exception failure)
    {
        lock (_sync)
        {
            Debug.Assert(!_finished, "A failure reported after the queue finished would be lost.");
            _failures.Add(failure);
            if (_itemFailed is null)
                _unreported.Add(failure);
        }

        if (_itemFailed is null)
            return;

        try
        {
            _itemFailed(failure);
        }
        catch (Exception e)
        {
            // The callback saw the failure; its own exception nobody has seen yet.
            lock (_sync)
            {
                _failures.Add(e);
                _unreported.Add(e);
            }
        }
    }

    private void ReportOutcome(Task task)
    {
        if (task.IsFaulted)
        {
            foreach (var e in task.Exception!.InnerExceptions)
                ReportFailure(e);
        }
        else if (task.IsCanceled)
        {
            try
            {
                // Rethrows the cancellation exception the task was cancelled with, when it kept one.
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e)
            {
                ReportFailure(e);
            }
        }
    }

    private void CancelWaiter(EnqueueWaiter waiter)
    {
        bool removed;
        lock (_sync)
        {
            removed = waiter.InList;
            if (removed)
                RemoveWaiter(waiter);
        }

        // Not removed: it was accepted or rejected first, and that outcome stands.
        if (removed)
            waiter.TrySetCanceled(waiter.Token);
    }

    private void AppendWaiter(EnqueueWaiter waiter)
    {
        waiter.InList = true;
        waiter.Previous = _lastWaiter;
        if (_lastWaiter is null)
            _firstWaiter = waiter;
        else
            _lastWaiter.Next = waiter;
        _lastWaiter = waiter;
    }

    private void RemoveWaiter(EnqueueWaiter waiter)
    {
        if (waiter.Previous is null)
            _firstWaiter = waiter.Next;
        else
            waiter.Previous.Next = waiter.Next;

        if (waiter.Next is null)
            _lastWaiter = waiter.Previous;
        else
            waiter.Next.Previous = waiter.Previous;

        waiter.Previous = waiter.Next = null;
        waiter.InList = false;
    }

    private EnqueueWaiter? TakeFirstWaiter()
    {
        var waiter = _firstWaiter;
        if (waiter is not null)
            RemoveWaiter(waiter);
        return waiter;
    }

    // Empties the waiter list, keeping the chain through Next so the caller can complete the waiters outside the lock.
    private EnqueueWaiter? DetachWaiters()
    {
        var first = _firstWaiter;
        for (var waiter = first; waiter is not null; waiter = waiter.Next)
        {
            waiter.InList = false;
            waiter.Previous = null;
        }

        _firstWaiter = _lastWaiter = null;
        return first;
    }

    private void StartWorker(WorkItem item) => Dispatch(new Worker(this, item));

    private OperationCanceledException NotStarted() =>
        new OperationCanceledException(Describe() + " was aborted before this work item started; it did not run.", _shutdown.Token);

    private InvalidOperationException IntakeStopped() =>
        new InvalidOperationException(Describe() + " no longer accepts work: CompleteAsync or DisposeAsync has been called.");

    private string Describe() => _name is null ? "The work queue" : $"The work queue '{_name}'";

    private static CancellationTokenRegistration RegisterWithoutContext(CancellationToken token, Action<object?> callback, object state) =>
#if NET
        token.UnsafeRegister(callback, state);
#else
        token.Register(callback, state);
#endif

    // Waits for the task without rethrowing its failure (the caller reads the outcome). WhenAny completes with the task,
    // never faulted. ConfigureAwaitOptions.SuppressThrowing would save WhenAny's small task, once per queue, but the
    // systematic tests' rewriter (Coyote 1.7) does not understand it.
    private static async Task WaitQuietlyAsync(Task task) => await Task.WhenAny(task).ConfigureAwait(false);

    private static T NotNull<T>(T value, string parameterName)
        where T : class =>
        value ?? throw new ArgumentNullException(parameterName);

    private static BoundedWorkQueueOptions NotNull(BoundedWorkQueueOptions options) =>
        options ?? throw new ArgumentNullException(nameof(options), "Pass the settings, or use another constructor for the defaults.");

    private static int ValidMaxConcurrency(int value, string parameterName, string displayName) =>
        value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(parameterName, value, $"{displayName} must be at least 1: it is the number of work items that run at the same time (Environment.ProcessorCount suits work that keeps a processor busy).");

    private static int ValidCapacity(int value, string parameterName, string displayName) =>
        value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(parameterName, value, $"{displayName} must be at least 0: it is the number of work items that may wait for a free worker (0 accepts an item only when a worker is free to start it).");

    // A work item as accepted: the delegate (Action, Func<Task> or Func<CancellationToken, Task>) and the execution
    // context of the code that enqueued it (null if that code suppressed the flow).
    private readonly struct WorkItem
    {
        public WorkItem(object work, ExecutionContext? context)
        {
            Work = work;
            Context = context;
        }

        public object Work { get; }

        public ExecutionContext? Context { get; }
    }

    private enum AbortStart
    {
        AlreadyFinished,
        AlreadyAborted,
        Started,
    }

    // The state of one CompleteAsync(CancellationToken) call that may abort the queue.
    private sealed class AbortRequest
    {
        private readonly BoundedWorkQueue _queue;
        private readonly TaskCompletionSource<bool> _done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        public AbortRequest(BoundedWorkQueue queue) => _queue = queue;

        public Task Done => _done.Task;

        public bool Aborted { get; private set; }

        public void Run()
        {
            var start = _queue.BeginAbort(out var notStarted, out var waiters);
            Aborted = start != AbortStart.AlreadyFinished; // before EndAbort can let the queue finish
            if (start == AbortStart.Started)
                _queue.EndAbort(notStarted, waiters);

            _done.TrySetResult(true);
        }
    }
}
