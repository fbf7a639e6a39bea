using System;

namespace Lockstep;

/// <summary>
/// Settings for a <see cref="BoundedWorkQueue"/>: how many work items run at once, how many may wait, a name for
/// messages, and a callback that sees each failure as it happens.
/// </summary>
/// <remarks>
/// The queue validates and copies the settings when it is constructed; changing the object afterwards does not
/// affect a queue built from it, so one options object can configure several queues.
/// </remarks>
public sealed class BoundedWorkQueueOptions
{
    /// <summary>The number of work items that may wait in the queue when <see cref="Capacity"/> is not set: 1024.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>
    /// The most work items that run at the same time; at least 1. The default is <see cref="Environment.ProcessorCount"/>,
    /// right for work that keeps a processor busy. Work that mostly waits (I/O, or blocking calls) may want more.
    /// </summary>
    public int MaxConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The most work items that wait for a free worker; at least 0. The default is <see cref="DefaultCapacity"/>.
    /// When this many items wait, <see cref="BoundedWorkQueue.TryEnqueue(Action)"/> returns <see langword="false"/> and
    /// <see cref="BoundedWorkQueue.EnqueueAsync(Action, System.Threading.CancellationToken)"/> waits for space
    /// (back-pressure). With 0 an item is accepted only when a worker is free to start it at once.
    /// </summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>
    /// A name for the queue, used in exception messages and <see cref="BoundedWorkQueue.ToString"/>; optional.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Called with each failure as soon as it happens: an exception thrown by a work item, or a cancellation recorded
    /// for an item the queue did not start because it was aborted. Optional.
    /// </summary>
    /// <remarks>
    /// The failure is still recorded and reported by <see cref="BoundedWorkQueue.CompleteAsync()"/>; the callback is for
    /// logging or metrics while the queue runs. It is called on the worker (or on the thread that aborted the queue), must
    /// be thread-safe, and should be quick: the worker calls it before it takes its next item. An exception it throws is
    /// recorded as one more failure (without calling it again).
    /// </remarks>
    public Action<Exception>? ItemFailed { get; set; }
}
