using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>Workers (threads and tasks) started in a loop, and waits for them in the same iteration (LS4002).</summary>
internal static class WorkerLoops
{
    /// <summary>
    /// The loop whose current iteration started the worker being waited for: the worker is created by the wait's own
    /// receiver (<c>Task.Run(…).Wait()</c>), or held in a local declared inside the loop body and created there.
    /// </summary>
    public static ILoopOperation? StartedInSameIteration(IInvocationOperation wait, StartCatalogue starts)
    {
        var loop = InnermostLoop(wait);
        if (loop is null)
            return null;

        var receiver = wait.Instance;
        while (receiver is IConversionOperation conversion)
            receiver = conversion.Operand;

        if (starts.IsWorkerCreation(receiver))
            return loop;

        if (receiver is not ILocalReferenceOperation { Local: var worker })
            return null;

        foreach (var operation in loop.Body.DescendantsAndSelf())
        {
            if (operation is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, worker)
                && starts.IsWorkerCreation(declarator.Initializer?.Value))
            {
                return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// The fix needs the wait as a statement of the loop body's block, or of an <c>if</c> without <c>else</c> that is one
    /// (<c>if (i &gt; 0) t.Join();</c>), and the loop in a block of its own. Returns the statement of the body that holds the wait.
    /// </summary>
    public static IOperation? CollectableWaitStatement(IInvocationOperation wait, ILoopOperation loop)
    {
        if (loop.Parent is not IBlockOperation || loop.Syntax.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax
            || wait.Parent is not IExpressionStatementOperation statement || loop.Body is not IBlockOperation body)
        {
            return null;
        }

        if (statement.Parent == body)
            return statement;

        var holder = statement.Parent is IBlockOperation { Operations.Length: 1 } inner ? inner.Parent : statement.Parent;
        return holder is IConditionalOperation { WhenFalse: null } conditional && conditional.Parent == body
            && (conditional.WhenTrue == statement || conditional.WhenTrue is IBlockOperation { Operations.Length: 1 })
                ? conditional
                : null;
    }


    private static ILoopOperation? InnermostLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }
}
