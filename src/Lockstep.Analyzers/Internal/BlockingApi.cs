using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// The BCL types whose members sleep or wait synchronously, resolved once per compilation.
/// Shared by every rule that asks "does this call block the thread?" (LS3xxx now, LS5002 later).
/// </summary>
internal sealed class BlockingApi
{
    private BlockingApi(Compilation compilation)
    {
        Thread = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingThread);
        SpinWait = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingSpinWait);
        SemaphoreSlim = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingSemaphoreSlim);
        ManualResetEventSlim = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingManualResetEventSlim);
        CountdownEvent = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingCountdownEvent);
        Barrier = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingBarrier);
        WaitHandle = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingWaitHandle);
        CancellationToken = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingCancellationToken);
        Task = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingTasksTask);
        TaskOfT = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingTasksTask1);
        ValueTask = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingTasksValueTask);
        ValueTaskOfT = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingTasksValueTask1);
        TaskStatus = compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemThreadingTasksTaskStatus);
    }

    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? SpinWait { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? ManualResetEventSlim { get; }
    public INamedTypeSymbol? CountdownEvent { get; }
    public INamedTypeSymbol? Barrier { get; }
    public INamedTypeSymbol? WaitHandle { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskStatus { get; }

    /// <summary>Resolves the types; <see langword="null"/> when the compilation has neither threads nor tasks (nothing can block).</summary>
    public static BlockingApi? Create(Compilation compilation)
    {
        var api = new BlockingApi(compilation);
        return api.Thread is null && api.Task is null ? null : api;
    }

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; (and types derived from Task).</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
            return false;

        var definition = named.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition, ValueTask) || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT))
            return true;

        return Task is not null && InheritsFromOrEquals(named, Task);
    }

    public static bool InheritsFromOrEquals(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
            return false;

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                return true;
        }

        return false;
    }
}
