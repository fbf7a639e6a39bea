using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Tasks: which types are task-like, how their results are read, and what proves a task has completed (so reading its
/// result cannot block): <c>Task.FromResult</c>, <c>Task.CompletedTask</c>, <c>WhenAll</c>/<c>WhenAny</c> in every
/// overload, <c>ContinueWith</c> antecedents, <c>IsCompleted</c>-style properties and final <c>Status</c> values.
/// </summary>
internal sealed class TaskCatalogue
{
    private readonly KnownTypes _types;

    public TaskCatalogue(KnownTypes types)
    {
        _types = types;
        CompletedByConstruction = MemberSet.Union(
            MemberSet.Of(types.Task, "FromResult", "FromException", "FromCanceled", "CompletedTask"),
            MemberSet.Of(types.ValueTask, "FromResult", "FromException", "FromCanceled", "CompletedTask"));
        WhenAll = MemberSet.Of(types.Task, "WhenAll");
        WhenAny = MemberSet.Of(types.Task, "WhenAny");
        WaitAll = MemberSet.Of(types.Task, "WaitAll");
        WaitAny = MemberSet.Of(types.Task, "WaitAny");
        ContinueWith = MemberSet.Union(MemberSet.Of(types.Task, "ContinueWith"), MemberSet.Of(types.TaskOfT, "ContinueWith"));
        CompletionState = MemberSet.Union(
            MemberSet.Of(types.Task, "IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled"),
            MemberSet.Of(types.ValueTask, "IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled"),
            MemberSet.Of(types.ValueTaskOfT, "IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled"));
        Status = MemberSet.Of(types.Task, "Status");
        FinalStatus = MemberSet.Of(types.TaskStatus, "RanToCompletion", "Faulted", "Canceled");
        Result = MemberSet.Union(MemberSet.Of(types.TaskOfT, "Result"), MemberSet.Of(types.ValueTaskOfT, "Result"));
        Wait = MemberSet.Of(types.Task, "Wait");
        GetAwaiter = MemberSet.Union(
            MemberSet.Of(types.Task, "GetAwaiter"),
            MemberSet.Of(types.TaskOfT, "GetAwaiter"),
            MemberSet.Of(types.ValueTask, "GetAwaiter"),
            MemberSet.Of(types.ValueTaskOfT, "GetAwaiter"),
            MemberSet.Of(types.ConfiguredAwaitables[0], "GetAwaiter"),
            MemberSet.Of(types.ConfiguredAwaitables[1], "GetAwaiter"),
            MemberSet.Of(types.ConfiguredAwaitables[2], "GetAwaiter"),
            MemberSet.Of(types.ConfiguredAwaitables[3], "GetAwaiter"));
        ConfigureAwait = MemberSet.Union(
            MemberSet.Of(types.Task, "ConfigureAwait"),
            MemberSet.Of(types.TaskOfT, "ConfigureAwait"),
            MemberSet.Of(types.ValueTask, "ConfigureAwait"),
            MemberSet.Of(types.ValueTaskOfT, "ConfigureAwait"));

        var getResult = new MemberSet[types.Awaiters.Length];
        for (int i = 0; i < types.Awaiters.Length; i++)
            getResult[i] = MemberSet.Of(types.Awaiters[i], "GetResult");
        AwaiterGetResult = MemberSet.Union(getResult);
    }

    /// <summary><c>Task.FromResult/FromException/FromCanceled</c>, <c>Task.CompletedTask</c> and their <c>ValueTask</c> forms.</summary>
    public MemberSet CompletedByConstruction { get; }

    /// <summary><c>Task.WhenAll</c> in every overload: params array, <c>params ReadOnlySpan</c> (C# 13), enumerable.</summary>
    public MemberSet WhenAll { get; }

    public MemberSet WhenAny { get; }

    public MemberSet WaitAll { get; }

    public MemberSet WaitAny { get; }

    public MemberSet ContinueWith { get; }

    /// <summary><c>IsCompleted</c>, <c>IsCompletedSuccessfully</c>, <c>IsFaulted</c>, <c>IsCanceled</c>: true only once the task has finished.</summary>
    public MemberSet CompletionState { get; }

    public MemberSet Status { get; }

    /// <summary><c>TaskStatus.RanToCompletion</c>, <c>Faulted</c>, <c>Canceled</c>.</summary>
    public MemberSet FinalStatus { get; }

    public MemberSet Result { get; }

    /// <summary><c>Task.Wait</c> in every overload.</summary>
    public MemberSet Wait { get; }

    /// <summary><c>GetAwaiter()</c> of tasks, value tasks and their configured forms.</summary>
    public MemberSet GetAwaiter { get; }

    public MemberSet ConfigureAwait { get; }

    /// <summary><c>GetResult()</c> of the task, value-task and configured awaiters.</summary>
    public MemberSet AwaiterGetResult { get; }

    /// <summary>Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt; and types derived from Task.</summary>
    public bool IsTaskLike(ITypeSymbol? type) =>
        KnownTypes.Is(type, _types.ValueTask) || KnownTypes.Is(type, _types.ValueTaskOfT) || KnownTypes.IsOrDerivesFrom(type, _types.Task);

    /// <summary>Strips <c>ConfigureAwait(…)</c> calls, which do not change which task is awaited.</summary>
    public IOperation? WithoutConfigureAwait(IOperation? operation)
    {
        while (operation is IInvocationOperation { Instance: { } instance } invocation && ConfigureAwait.Contains(invocation.TargetMethod))
            operation = instance;
        return operation;
    }

    /// <summary>Whether the invocation is <c>ConfigureAwait(…)</c> on a task.</summary>
    public bool IsConfigureAwait(IOperation? operation) =>
        operation is IInvocationOperation invocation && ConfigureAwait.Contains(invocation.TargetMethod);
}
