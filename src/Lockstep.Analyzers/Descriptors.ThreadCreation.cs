using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor JoinInsideStartLoop = Create(
        DiagnosticIds.JoinInsideStartLoop,
        title: "Do not wait for a worker in the loop iteration that starts it",
        message: "'{0}' waits for the worker started in the same loop iteration, so the workers run one after another; start them all, then wait after the loop",
        Categories.ThreadCreation,
        RuleLevel.Warning,
        description: "Starting a thread or task and joining or waiting for it before the loop starts the next one runs the workers strictly one after another: the program pays for the threads and gets no concurrency. Collect the workers in the loop and wait for them after it.");
}
