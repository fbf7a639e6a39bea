using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The stretch of the starting function that runs alongside started work: from the start to the first join, wait or
/// await after it (or the end of the function). Taking the first one is deliberately generous to correct code: the
/// model would rather miss a race after an unrelated wait than accuse code that joined its workers.
/// </summary>
internal static class Windows
{
    public static int EndOfStarterWindow(IOperation start)
    {
        // Task.Run(…) awaited, waited or read on the spot: the starter does nothing in between.
        var consumer = start.Parent;
        while (consumer is IConversionOperation or IParenthesizedOperation)
            consumer = consumer.Parent;

        if (consumer is IAwaitOperation
            || consumer is IInvocationOperation { TargetMethod.Name: "Wait" or "GetAwaiter" or "ConfigureAwait" or "Join" }
            || consumer is IPropertyReferenceOperation { Property.Name: "Result" })
        {
            return start.Syntax.SpanStart;
        }

        var root = Internal.OperationTree.FunctionRoot(start);

        int startEnd = start.Syntax.Span.End;
        int end = int.MaxValue;
        var stack = new System.Collections.Generic.Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            int position = current.Syntax.SpanStart;
            if (position > startEnd && position < end && IsJoinLike(current))
                end = position;

            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    stack.Push(child);
            }
        }

        return end;
    }

    private static bool IsJoinLike(IOperation operation) => operation switch
    {
        IAwaitOperation => true,
        IInvocationOperation { TargetMethod.Name: "Join" or "Wait" or "WaitAll" or "WaitAny" or "GetResult" or "SignalAndWait" or "WaitOne" } => true,
        IPropertyReferenceOperation { Property.Name: "Result" } => true,
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="access"/> comes after work its function started has been joined (a Thread.Join, a Wait,
    /// an await, or the end of a Parallel call): by then the started code has finished, so the access is sequential.
    /// </summary>
    public static bool IsAfterJoinedWork(IOperation access, ConcurrencyApi api)
    {
        var root = Internal.OperationTree.FunctionRoot(access);

        int position = access.Syntax.SpanStart;
        var scratch = new FunctionFacts(null!);
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.Syntax.SpanStart < position && operation is IInvocationOperation or IObjectCreationOperation)
                StartRecognizer.Recognize(operation, api, scratch);
        }

        foreach (var start in scratch.Starts)
        {
            if (start.WindowEnd <= position)
                return true;
        }

        return false;
    }
}
