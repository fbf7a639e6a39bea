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
    /// created (the <c>new Thread</c> for <c>Start()</c>, the call itself for <c>StartNew</c>): in the same function, in
    /// a local, a field it assigns there, or an element of an array it fills there (also when the start walks the array
    /// with <c>foreach</c>). A thread the function finds in a field or a parameter is not followed here (it may be a
    /// single long-lived thread started from several places); see <see cref="IsStartOfOwnThread"/>.
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

    /// <summary>
    /// The <c>new Thread(…)</c> a <c>Start()</c> receiver comes from: the creation itself, or one the function assigns to
    /// the receiver's local, to the receiver's field of this object, or to elements of the receiver's array (an element
    /// <c>threads[i]</c>, or the variable of a <c>foreach</c> over the array).
    /// </summary>
    public static IObjectCreationOperation? FindThreadCreation(IOperation? receiver, IOperation functionRoot, ConcurrencyCatalogue catalogue)
    {
        receiver = OperationTree.Unconverted(receiver);
        if (receiver is IObjectCreationOperation creation)
            return catalogue.Starts.IsThreadCreation(creation) ? creation : null;

        ISymbol? holder = receiver switch
        {
            ILocalReferenceOperation { Local: var local } => ElementSource(local, functionRoot) ?? local,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => field,
            IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation { Local: var array } } => array,
            _ => null,
        };
        if (holder is null)
            return null;

        IObjectCreationOperation? found = null;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(functionRoot))
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, holder) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(AssignedHolder(assignment.Target), holder) => assignment.Value,
                _ => null,
            };

            if (OperationTree.Unconverted(value) is IObjectCreationOperation candidate && catalogue.Starts.IsThreadCreation(candidate))
                found = candidate; // the last one in the walk; which one does not matter for the loop test, all are checked there
        }

        return found;
    }

    /// <summary>The local, field of this object, or array (for an element) an assignment writes.</summary>
    private static ISymbol? AssignedHolder(IOperation target) => target switch
    {
        ILocalReferenceOperation { Local: var local } => local,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => field,
        IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation { Local: var array } } => array,
        _ => null,
    };

    /// <summary>For the variable of a <c>foreach</c> over a local array of the function: that array.</summary>
    private static ILocalSymbol? ElementSource(ILocalSymbol variable, IOperation functionRoot)
    {
        foreach (var loop in OperationTree.SameFunctionDescendants<IForEachLoopOperation>(functionRoot))
        {
            if (loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: var declared }
                && SymbolEqualityComparer.Default.Equals(declared, variable)
                && OperationTree.Unconverted(loop.Collection) is ILocalReferenceOperation { Local: { Type: IArrayTypeSymbol } array })
            {
                return array;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>_thread.Start()</c> where <c>_thread</c> is a field of this object that a constructor of its type fills with a
    /// <c>new Thread(…)</c>: each object has its own thread, so the call starts one thread per object it is made on
    /// (<c>new Worker(connection).Start()</c> in an accept loop starts one per connection). <paramref name="constructorBody"/>
    /// gives the body of a constructor, when the compilation has it.
    /// </summary>
    public static bool IsStartOfOwnThread(IInvocationOperation invocation, ConcurrencyCatalogue catalogue, System.Func<IMethodSymbol, IOperation?> constructorBody)
    {
        if (!catalogue.Starts.IsThreadStart(invocation)
            || OperationTree.Unconverted(invocation.Instance) is not IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { IsStatic: false } field })
        {
            return false;
        }

        foreach (var constructor in field.ContainingType.InstanceConstructors)
        {
            if (constructorBody(constructor) is not { } body)
                continue;

            foreach (var assignment in OperationTree.SameFunctionDescendants<ISimpleAssignmentOperation>(body))
            {
                if (SymbolEqualityComparer.Default.Equals(AssignedHolder(assignment.Target), field) && catalogue.Starts.IsThreadCreation(assignment.Value))
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every <c>new Thread</c> assigned to the receiver's local or field, for the "created in this loop" test; and a start
    /// that takes a different element of an array of new threads in each iteration (<c>threads[i].Start()</c>,
    /// <c>foreach (var t in threads) t.Start()</c>) starts one thread per iteration wherever the threads were made.
    /// </summary>
    public static bool IsCreatedInside(IOperation creation, IOperation? receiver, IOperation functionRoot, IOperation loop, ConcurrencyCatalogue catalogue)
    {
        if (IsInside(creation, loop))
            return true;

        receiver = OperationTree.Unconverted(receiver);
        if (receiver is IArrayElementReferenceOperation element && IndexChangesWith(element, loop))
            return true;
        if (receiver is ILocalReferenceOperation { Local: var variable } && loop is IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: var declared } }
            && SymbolEqualityComparer.Default.Equals(declared, variable) && ElementSource(variable, functionRoot) is not null)
        {
            return true;
        }

        ISymbol? holder = receiver switch
        {
            ILocalReferenceOperation { Local: var local } => local,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => field,
            _ => null,
        };
        if (holder is null)
            return false;

        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(loop))
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, holder) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(AssignedHolder(assignment.Target), holder) => assignment.Value,
                _ => null,
            };

            if (catalogue.Starts.IsThreadCreation(value))
                return true;
        }

        return false;
    }

    /// <summary>The element's index is a local the loop changes (its counter): each iteration reaches another element.</summary>
    private static bool IndexChangesWith(IArrayElementReferenceOperation element, IOperation loop)
    {
        if (element.Indices.Length != 1 || OperationTree.Unconverted(element.Indices[0]) is not ILocalReferenceOperation { Local: var index })
            return false;

        foreach (var operation in loop.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, index):
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation compound } when SymbolEqualityComparer.Default.Equals(compound.Local, index):
                    return true;
            }
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

    /// <summary>
    /// Whether <paramref name="site"/> (a start, or a call that starts) first waits for a permit of a semaphore that its
    /// function does not give back itself: <c>_slots.Wait(); new Thread(() => { try { … } finally { _slots.Release(); } }).Start();</c>.
    /// The permit travels with the thread, so at most the semaphore's count of threads run at once however many items come.
    /// A starter that releases the permit itself (after the start, in a <c>finally</c>) throttles only the starting, not
    /// the threads. The wait must come before the site and not sit in a loop that does not also hold the site.
    /// </summary>
    public static bool IsThrottled(IOperation site, IOperation functionRoot, ConcurrencyCatalogue catalogue)
    {
        var siteLoop = InnermostLoop(site, functionRoot);
        ISymbol? waited = null;
        foreach (var invocation in OperationTree.SameFunctionDescendants<IInvocationOperation>(functionRoot))
        {
            if (invocation.Syntax.SpanStart < site.Syntax.SpanStart
                && catalogue.Locks.IsPermitWait(invocation, out var semaphore)
                && HolderOf(semaphore) is { } holder
                && InnermostLoop(invocation, functionRoot) is var loop
                && (loop is null || (siteLoop is not null && IsInside(siteLoop, loop))))
            {
                waited = holder;
                break;
            }
        }

        if (waited is null)
            return false;

        foreach (var invocation in OperationTree.SameFunctionDescendants<IInvocationOperation>(functionRoot))
        {
            if (catalogue.Locks.IsPermitRelease(invocation, out var semaphore) && SymbolEqualityComparer.Default.Equals(HolderOf(semaphore), waited))
                return false;
        }

        return true;
    }

    private static ILoopOperation? InnermostLoop(IOperation operation, IOperation functionRoot)
    {
        for (var current = operation.Parent; current is not null && current != functionRoot; current = current.Parent)
        {
            if (current is ILoopOperation loop)
                return loop;
        }

        return null;
    }

    /// <summary>The field, property, local or parameter a semaphore is reached through.</summary>
    private static ISymbol? HolderOf(IOperation? operation) => OperationTree.Unconverted(operation) switch
    {
        IFieldReferenceOperation { Field: var field } => field,
        IPropertyReferenceOperation { Property: var property } => property,
        ILocalReferenceOperation { Local: var local } => local,
        IParameterReferenceOperation { Parameter: var parameter } => parameter,
        _ => null,
    };
}
