using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor BlockingSleepInAsyncCode = Create(
        DiagnosticIds.BlockingSleepInAsyncCode,
        title: "Do not sleep synchronously in async code",
        message: "'{0}' blocks a thread inside {1}; await 'Task.Delay' instead",
        Categories.AsyncBlocking,
        RuleLevel.Warning,
        description: "A blocking sleep inside async code holds a thread pool thread that could run other work, delays every continuation queued behind it and, under load, starves the pool. 'await Task.Delay' waits without holding a thread.");

    public static readonly DiagnosticDescriptor SynchronousWaitInAsyncCode = Create(
        DiagnosticIds.SynchronousWaitInAsyncCode,
        title: "Do not wait synchronously in async code",
        message: "'{0}' waits synchronously inside {1}; {2} instead",
        Categories.AsyncBlocking,
        RuleLevel.Warning,
        description: "Waiting synchronously for a task, semaphore, event or thread inside async code blocks a thread pool thread, can deadlock when the awaited work needs the blocked context, and wraps failures in AggregateException. Await the operation instead.");

    public static readonly DiagnosticDescriptor BlockingCallChainInAsyncCode = Create(
        DiagnosticIds.BlockingCallChainInAsyncCode,
        title: "Do not call blocking methods from async code",
        message: "'{0}' blocks a thread inside {1} ({2}); make the chain asynchronous and await it",
        Categories.AsyncBlocking,
        RuleLevel.Warning,
        description: "A synchronous method that sleeps or waits, directly or through further calls, blocks the thread of the async code that calls it just as if the sleep or wait were written there. Make the callee asynchronous and await it, or offload it deliberately with Task.Run.");
}
