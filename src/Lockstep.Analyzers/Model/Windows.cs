using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The stretch of the starting function that runs alongside started work: from the start to the first join, wait or
/// await after it (or the end of the function). Taking the first one is deliberately generous to correct code: the
/// model would rather miss a race after an unrelated wait than accuse code that joined its workers. Which calls wait is
/// the catalogue's knowledge (a <c>string.Join</c> is not a thread join).
/// </summary>
internal static class Windows
{
    public static int EndOfStarterWindow(IOperation start, ConcurrencyCatalogue catalogue)
    {
        // Task.Run(…) awaited, waited or read on the spot: the starter does nothing in between.
        var consumer = start.Parent;
        while (consumer is IConversionOperation or IParenthesizedOperation)
            consumer = consumer.Parent;

        if (consumer is IAwaitOperation
            || consumer is IInvocationOperation invocation && (catalogue.Blocking.IsWait(invocation) || catalogue.Tasks.GetAwaiter.Contains(invocation.TargetMethod) || catalogue.Tasks.IsConfigureAwait(invocation))
            || consumer is IPropertyReferenceOperation result && catalogue.Tasks.Result.Contains(result.Property))
        {
            return start.Syntax.SpanStart;
        }

        var root = OperationTree.FunctionRoot(start);

        int startEnd = start.Syntax.Span.End;
        int end = int.MaxValue;
        foreach (var current in OperationTree.SameFunctionDescendants<IOperation>(root))
        {
            int position = current.Syntax.SpanStart;
            if (position > startEnd && position < end && IsJoinLike(current, catalogue))
                end = position;
        }

        return end;
    }

    private static bool IsJoinLike(IOperation operation, ConcurrencyCatalogue catalogue) =>
        operation is IAwaitOperation
        || operation is IInvocationOperation or IPropertyReferenceOperation && catalogue.Blocking.IsWait(operation)
        || operation is IInvocationOperation waitForExit && catalogue.Starts.IsWaitForProcessEvents(waitForExit);

    /// <summary>
    /// Whether <paramref name="access"/> comes after work its function started has been joined (a Thread.Join, a Wait,
    /// an await, or the end of a Parallel call): by then the started code has finished, so the access is sequential.
    /// </summary>
    public static bool IsAfterJoinedWork(IOperation access, ConcurrencyCatalogue catalogue)
    {
        var root = OperationTree.FunctionRoot(access);
        int position = access.Syntax.SpanStart;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.Syntax.SpanStart >= position || !catalogue.Starts.TryGetStart(operation, out var api, out var delegates) || !StartRecognizer.StartsAny(api, delegates))
                continue;

            int windowEnd = api.ReturnsWhenDone ? operation.Syntax.SpanStart : EndOfStarterWindow(operation, catalogue);
            if (windowEnd <= position)
                return true;
        }

        return false;
    }
}
