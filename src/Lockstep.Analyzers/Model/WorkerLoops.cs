using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>Workers (threads and tasks) started in a loop, and waits for them in the same iteration (LS4002).</summary>
internal static class WorkerLoops
{
    /// <summary><c>thread.Join(…)</c> or <c>task.Wait(…)</c>.</summary>
    public static bool IsWaitForWorker(IInvocationOperation invocation, ConcurrencyApi api) =>
        !invocation.TargetMethod.IsStatic
        && ((invocation.TargetMethod.Name == "Join" && ConcurrencyApi.Is(invocation.TargetMethod.ContainingType, api.Thread))
            || (invocation.TargetMethod.Name == "Wait" && Internal.BlockingApi.InheritsFromOrEquals(invocation.TargetMethod.ContainingType, api.Task)));

    /// <summary>
    /// The loop whose current iteration started the worker being waited for: the worker is created by the wait's own
    /// receiver (<c>Task.Run(…).Wait()</c>), or held in a local declared inside the loop body and created there.
    /// </summary>
    public static ILoopOperation? StartedInSameIteration(IInvocationOperation wait, ConcurrencyApi api)
    {
        var loop = InnermostLoop(wait);
        if (loop is null)
            return null;

        var receiver = wait.Instance;
        while (receiver is IConversionOperation conversion)
            receiver = conversion.Operand;

        if (IsWorkerCreation(receiver, api))
            return loop;

        if (receiver is not ILocalReferenceOperation { Local: var worker })
            return null;

        foreach (var operation in loop.Body.DescendantsAndSelf())
        {
            if (operation is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, worker)
                && IsWorkerCreation(declarator.Initializer?.Value, api))
            {
                return loop;
            }
        }

        return null;
    }

    /// <summary>The fix needs the wait as a statement of the loop body's block and the loop in a block of its own.</summary>
    public static bool CanCollectWorkers(IInvocationOperation wait, ILoopOperation loop) =>
        wait.Parent is IExpressionStatementOperation { Parent: IBlockOperation body } && body == loop.Body
        && loop.Parent is IBlockOperation
        && loop.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax;

    private static bool IsWorkerCreation(IOperation? value, ConcurrencyApi api)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        return value switch
        {
            IObjectCreationOperation creation => ConcurrencyApi.Is(creation.Type, api.Thread) || Internal.BlockingApi.InheritsFromOrEquals(creation.Type, api.Task),
            IInvocationOperation { TargetMethod: { Name: "Run" } run } => ConcurrencyApi.Is(run.ContainingType, api.Task),
            IInvocationOperation { TargetMethod: { Name: "StartNew" } startNew } => startNew.ContainingType.Name == "TaskFactory",
            _ => false,
        };
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
