using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor UnboundedThreadCreation = Create(
        DiagnosticIds.UnboundedThreadCreation,
        title: "Do not start a thread per item, connection or message",
        message: "'{0}' starts one thread per {1}, so the number of threads grows with the input; hand the work to a bounded pool (BoundedWorkQueue, or Parallel.ForEach with MaxDegreeOfParallelism)",
        Categories.ThreadCreation,
        RuleLevel.Warning,
        description: "Every thread reserves a stack (1 MB by default) and competes for the processors. A thread started per loop iteration, accepted connection, queued message or recursive call multiplies with the input: a thousand clients make a thousand threads, memory runs out and the scheduler spends its time switching. Loops bounded by a small constant or by Environment.ProcessorCount are not reported. Hand the work to a bounded pool instead: a BoundedWorkQueue, Parallel.ForEach with MaxDegreeOfParallelism, or Task.Run for short work.");

    public static readonly DiagnosticDescriptor JoinInsideStartLoop = Create(
        DiagnosticIds.JoinInsideStartLoop,
        title: "Do not wait for a worker in the loop iteration that starts it",
        message: "'{0}' waits for the worker started in the same loop iteration, so the workers run one after another; start them all, then wait after the loop",
        Categories.ThreadCreation,
        RuleLevel.Warning,
        description: "Starting a thread or task and joining or waiting for it before the loop starts the next one runs the workers strictly one after another: the program pays for the threads and gets no concurrency. Collect the workers in the loop and wait for them after it.");
}
