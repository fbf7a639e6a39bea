using Lockstep.Analyzers.Catalogue;
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
    /// <summary>
    /// Whether <paramref name="invocation"/> starts a new thread. <paramref name="creation"/> is where that thread is
    /// created (the <c>new Thread</c> for <c>Start()</c>, the call itself for <c>StartNew</c>); a thread held in a
    /// field or a parameter is not followed (it may be a single long-lived thread started from several places).
    /// </summary>
    public static bool IsThreadStart(IInvocationOperation invocation, ConcurrencyCatalogue catalogue, IOperation functionRoot, out IOperation? creation, out string name)
    {
        creation = null;
        name = string.Empty;
        if (catalogue.Starts.IsThreadStart(invocation))
        {
            creation = FindThreadCreation(invocation.Instance, functionRoot, catalogue);
            name = "Thread.Start";
            return creation is not null;
        }

        if (catalogue.Starts.IsLongRunningStartNew(invocation))
        {
            creation = invocation;
            name = "TaskFactory.StartNew";
            return true;
        }

        return false;
    }

    /// <summary>The <c>new Thread(…)</c> a <c>Start()</c> receiver comes from: the creation itself, or a local assigned one in the function.</summary>
    public static IObjectCreationOperation? FindThreadCreation(IOperation? receiver, IOperation functionRoot, ConcurrencyCatalogue catalogue)
    {
        receiver = Unwrap(receiver);
        if (receiver is IObjectCreationOperation creation)
            return catalogue.Starts.IsThreadCreation(creation) ? creation : null;

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

            if (Unwrap(value) is IObjectCreationOperation candidate && catalogue.Starts.IsThreadCreation(candidate))
                found = candidate; // the last one in the walk; which one does not matter for the loop test, all are checked there
        }

        return found;
    }

    /// <summary>Every <c>new Thread</c> assigned to the receiver's local, for the "created in this loop" test.</summary>
    public static bool IsCreatedInside(IOperation creation, IOperation? receiver, IOperation functionRoot, IOperation loop, ConcurrencyCatalogue catalogue)
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

            if (catalogue.Starts.IsThreadCreation(value))
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
}
