namespace Lockstep.Analyzers;

/// <summary>Metadata names of the BCL and runtime-library types the rules look for (resolved once per compilation).</summary>
internal static class WellKnownTypeNames
{
    public const string SystemThreadingThread = "System.Threading.Thread";
    public const string SystemThreadingSpinWait = "System.Threading.SpinWait";
    public const string SystemThreadingSemaphoreSlim = "System.Threading.SemaphoreSlim";
    public const string SystemThreadingManualResetEventSlim = "System.Threading.ManualResetEventSlim";
    public const string SystemThreadingCountdownEvent = "System.Threading.CountdownEvent";
    public const string SystemThreadingBarrier = "System.Threading.Barrier";
    public const string SystemThreadingWaitHandle = "System.Threading.WaitHandle";
    public const string SystemThreadingCancellationToken = "System.Threading.CancellationToken";
    public const string SystemThreadingTasksTask = "System.Threading.Tasks.Task";
    public const string SystemThreadingTasksTask1 = "System.Threading.Tasks.Task`1";
    public const string SystemThreadingTasksValueTask = "System.Threading.Tasks.ValueTask";
    public const string SystemThreadingTasksValueTask1 = "System.Threading.Tasks.ValueTask`1";
    public const string SystemThreadingTasksTaskStatus = "System.Threading.Tasks.TaskStatus";
    public const string SystemRuntimeCompilerServicesTaskAwaiter = "System.Runtime.CompilerServices.TaskAwaiter";
    public const string SystemRuntimeCompilerServicesTaskAwaiter1 = "System.Runtime.CompilerServices.TaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter = "System.Runtime.CompilerServices.ValueTaskAwaiter";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter1 = "System.Runtime.CompilerServices.ValueTaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1";
}
