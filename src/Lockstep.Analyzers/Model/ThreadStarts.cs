using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Calls that create a dedicated thread (LS4001): <c>Start()</c> on a <c>Thread</c> created in the same function, and
/// <c>TaskFactory.StartNew</c> with <c>TaskCreationOptions.LongRunning</c> on the default scheduler (which gives the
/// task a thread of its own instead of a pool thread).
/// </summary>
internal static class ThreadStarts
{
    private const int LongRunning = 2; // TaskCreationOptions.LongRunning

    /// <summary>
    /// Whether <paramref name="invocation"/> starts a new thread. <paramref name="creation"/> is where that thread is
    /// created (the <c>new Thread</c> for <c>Start()</c>, the call itself for <c>StartNew</c>); a thread held in a
    /// field or a parameter is not followed (it may be a single long-lived thread started from several places).
    /// </summary>
    public static bool IsThreadStart(IInvocationOperation invocation, ConcurrencyApi api, IOperation functionRoot, out IOperation? creation, out string name)
    {
        creation = null;
        name = string.Empty;
        var method = invocation.TargetMethod;
        if (method.Name == "Start" && !method.IsStatic && ConcurrencyApi.Is(method.ContainingType, api.Thread))
        {
            creation = FindThreadCreation(invocation.Instance, functionRoot, api);
            name = "Thread.Start";
            return creation is not null;
        }

        if (method.Name == "StartNew" && IsTaskFactory(method.ContainingType) && IsLongRunningOnDefaultScheduler(invocation))
        {
            creation = invocation;
            name = "TaskFactory.StartNew";
            return true;
        }

        return false;
    }

    /// <summary>The <c>new Thread(…)</c> a <c>Start()</c> receiver comes from: the creation itself, or a local assigned one in the function.</summary>
    public static IObjectCreationOperation? FindThreadCreation(IOperation? receiver, IOperation functionRoot, ConcurrencyApi api)
    {
        receiver = Unwrap(receiver);
        if (receiver is IObjectCreationOperation creation)
            return ConcurrencyApi.Is(creation.Type, api.Thread) ? creation : null;

        if (receiver is not ILocalReferenceOperation { Local: var local })
            return null;

        IObjectCreationOperation? found = null;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(functionRoot))
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };

            if (Unwrap(value) is IObjectCreationOperation candidate && ConcurrencyApi.Is(candidate.Type, api.Thread))
                found = candidate; // the last one in the walk; which one does not matter for the loop test, all are checked there
        }

        return found;
    }

    /// <summary>Every <c>new Thread</c> assigned to the receiver's local, for the "created in this loop" test.</summary>
    public static bool IsCreatedInside(IOperation creation, IOperation? receiver, IOperation functionRoot, IOperation loop, ConcurrencyApi api)
    {
        if (IsInside(creation, loop))
            return true;

        if (Unwrap(receiver) is not ILocalReferenceOperation { Local: var local })
            return false;

        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(loop))
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };

            if (Unwrap(value) is IObjectCreationOperation candidate && ConcurrencyApi.Is(candidate.Type, api.Thread))
                return true;
        }

        return false;
    }

    public static bool IsInside(IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
                return true;
        }

        return false;
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
            operation = conversion.Operand;
        return operation;
    }

    private static bool IsTaskFactory(INamedTypeSymbol? type) =>
        type is { Name: "TaskFactory" } && Namespaces.Is(type.ContainingNamespace, "System", "Threading", "Tasks");

    /// <summary>
    /// <c>LongRunning</c> among the creation options, and no scheduler other than <c>TaskScheduler.Default</c>: a custom
    /// scheduler decides itself where the task runs.
    /// </summary>
    private static bool IsLongRunningOnDefaultScheduler(IInvocationOperation invocation)
    {
        bool longRunning = false;
        foreach (var argument in invocation.Arguments)
        {
            var type = argument.Parameter?.Type;
            if (type is null)
                continue;

            if (type.Name == "TaskCreationOptions")
            {
                if (argument.Value.ConstantValue is { HasValue: true, Value: int options } && (options & LongRunning) != 0)
                    longRunning = true;
            }
            else if (type.Name == "TaskScheduler" && argument.ArgumentKind == ArgumentKind.Explicit
                && Unwrap(argument.Value) is not IPropertyReferenceOperation { Property.Name: "Default" })
            {
                return false;
            }
        }

        return longRunning;
    }
}
