using System;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep;

public sealed partial class BoundedWorkQueue
{
    private static readonly ContextCallback s_invokeInContext = static state =>
    {
        var worker = (Worker)state!;
        worker.Result = worker.Queue.Invoke(worker.Item.Work);
    };

#if !NET
    private static readonly WaitCallback s_execute = static state => ((Worker)state!).Execute();
#endif

    private static void Dispatch(Worker worker)
    {
        // Test hook, null outside tests: the systematic tests start workers as tasks their scheduler controls, which a
        // thread-pool work item is not.
        if (worker.Queue.DispatchForTest is { } dispatch)
        {
            dispatch(worker.Execute);
            return;
        }

#if NET
        ThreadPool.UnsafeQueueUserWorkItem(worker, preferLocal: false);
#else
        ThreadPool.UnsafeQueueUserWorkItem(s_execute, worker);
#endif
    }

    // Runs the item's synchronous part in its own execution context. Returns the task of an async item (null for a
    // synchronous one, or when the item failed or was not started; those outcomes are already reported).
    private Task? Run(Worker worker)
    {
        if (_aborted)
        {
            ReportFailure(NotStarted());
            return null;
        }

        try
        {
            // ExecutionContext.Run restores the worker's context afterwards, so what the item changed in its context
            // (AsyncLocal values) does not reach the next item this worker runs. An item enqueued with the flow
            // suppressed runs in the worker's own context, which every item leaves as it found it.
            var context = worker.Item.Context ?? ExecutionContext.Capture();
            if (context is null)
                return Invoke(worker.Item.Work);

            worker.Result = null;
            ExecutionContext.Run(context, s_invokeInContext, worker);
            return worker.Result;
        }
        catch (Exception e)
        {
            ReportFailure(e);
            return null;
        }
    }

    private Task? Invoke(object work)
    {
        switch (work)
        {
            case Action action:
                action();
                return null;
            case Func<Task> start:
                return start() ?? throw NullTask();
            default:
                return ((Func<CancellationToken, Task>)work)(_shutdown.Token) ?? throw NullTask();
        }
    }

    private static InvalidOperationException NullTask() =>
        new InvalidOperationException("A work item returned null instead of a Task; return Task.CompletedTask when there is nothing to wait for.");

    // One worker: a slot of MaxConcurrency taken by an item. It runs items one after another on a pool thread until the
    // queue has none left, and gives the thread back while an async item awaits.
    private sealed class Worker
#if NET
        : IThreadPoolWorkItem
#endif
    {
        private Task? _pending;
        private Action? _resume;

        public Worker(BoundedWorkQueue queue, WorkItem item)
        {
            Queue = queue;
            Item = item;
        }

        public BoundedWorkQueue Queue { get; }

        public WorkItem Item;

        public Task? Result;

        public void Execute()
        {
            var queue = Queue;
            if (_pending is { } finished)
            {
                _pending = null;
                queue.ReportOutcome(finished);
                if (!queue.TryTakeNext(out Item))
                    return;
            }

            while (true)
            {
                var task = queue.Run(this);
                if (task is not null)
                {
                    if (!task.IsCompleted)
                    {
                        // The continuation may run inline on whatever thread completes the task (a user's thread, even
                        // one holding a lock); it only queues this worker back to the pool, which runs the next items.
                        _pending = task;
                        _resume ??= () => Dispatch(this);
                        if (queue.ResumeForTest is { } resumeForTest)
                            resumeForTest(task, _resume);
                        else
                            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_resume);
                        return;
                    }

                    queue.ReportOutcome(task);
                }

                if (!queue.TryTakeNext(out Item))
                    return;
            }
        }
    }
}
