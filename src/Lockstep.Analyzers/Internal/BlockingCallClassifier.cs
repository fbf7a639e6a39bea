using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>Recognises the BCL calls that sleep or wait synchronously.</summary>
internal static class BlockingCallClassifier
{
    private const string AwaitIt = "await it";
    private const string AwaitWithWaitAsync = "await 'WaitAsync'";
    private const string NoAsyncWait = "await an asynchronous signal such as a 'TaskCompletionSource' task";

    /// <summary>Classifies an invocation or property reference; <see langword="false"/> when it does not block.</summary>
    public static bool TryClassify(IOperation operation, BlockingApi api, out BlockingCall call)
    {
        call = default;
        return operation switch
        {
            IInvocationOperation invocation => TryClassifyInvocation(invocation, api, out call),
            IPropertyReferenceOperation property => TryClassifyProperty(property, api, out call),
            _ => false,
        };
    }

    private static bool TryClassifyProperty(IPropertyReferenceOperation reference, BlockingApi api, out BlockingCall call)
    {
        call = default;
        var property = reference.Property;
        if (property.Name != "Result" || property.IsStatic || !api.IsTaskLike(property.ContainingType))
            return false;

        // nameof(t.Result) names the property without reading it.
        if (IsInsideNameOf(reference))
            return false;

        call = new BlockingCall(BlockingKind.Wait, TypeName(property.ContainingType) + ".Result", AwaitFixKind.AwaitResult, reference.Instance, AwaitIt);
        return true;
    }

    private static bool TryClassifyInvocation(IInvocationOperation invocation, BlockingApi api, out BlockingCall call)
    {
        call = default;
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
            return false;

        switch (method.Name)
        {
            case "Sleep" when SymbolEqualityComparer.Default.Equals(type, api.Thread):
                call = new BlockingCall(BlockingKind.Sleep, "Thread.Sleep", AwaitFixKind.TaskDelay, null, "await 'Task.Delay'");
                return true;

            case "SpinUntil" when SymbolEqualityComparer.Default.Equals(type, api.SpinWait):
                // A busy wait burns the thread instead of parking it; there is no mechanical async rewrite of the condition.
                call = new BlockingCall(BlockingKind.Sleep, "SpinWait.SpinUntil", AwaitFixKind.None, null, "await a signal or 'Task.Delay'");
                return true;

            case "Join" when SymbolEqualityComparer.Default.Equals(type, api.Thread) && !method.IsStatic:
                call = new BlockingCall(BlockingKind.Wait, "Thread.Join", AwaitFixKind.None, null, "run the work as a task and await it");
                return true;

            case "Wait" when !method.IsStatic && api.IsTaskLike(type):
                // Only the parameterless form keeps its meaning as 'await t': the others add a timeout or a token.
                var taskFix = method.Parameters.Length == 0 ? AwaitFixKind.AwaitInstance : AwaitFixKind.None;
                call = new BlockingCall(BlockingKind.Wait, "Task.Wait", taskFix, invocation.Instance, taskFix == AwaitFixKind.None ? "await the task, with 'WaitAsync' for a timeout" : AwaitIt);
                return true;

            case "WaitAll" or "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(type, api.Task):
                return ClassifyWaitAllOrAny(invocation, method, out call);

            case "GetResult" when IsAwaiterGetResult(invocation, out var awaitable):
                call = new BlockingCall(BlockingKind.Wait, "GetAwaiter().GetResult()", awaitable is null ? AwaitFixKind.None : AwaitFixKind.AwaitResult, awaitable, AwaitIt);
                return true;

            case "Wait" when !method.IsStatic && SymbolEqualityComparer.Default.Equals(type, api.SemaphoreSlim):
                call = new BlockingCall(BlockingKind.Wait, "SemaphoreSlim.Wait", AwaitFixKind.WaitAsync, null, AwaitWithWaitAsync);
                return true;

            case "Wait" when !method.IsStatic && SymbolEqualityComparer.Default.Equals(type, api.ManualResetEventSlim):
                call = new BlockingCall(BlockingKind.Wait, "ManualResetEventSlim.Wait", AwaitFixKind.None, null, NoAsyncWait);
                return true;

            case "Wait" when !method.IsStatic && SymbolEqualityComparer.Default.Equals(type, api.CountdownEvent):
                call = new BlockingCall(BlockingKind.Wait, "CountdownEvent.Wait", AwaitFixKind.None, null, NoAsyncWait);
                return true;

            case "SignalAndWait" when !method.IsStatic && SymbolEqualityComparer.Default.Equals(type, api.Barrier):
                call = new BlockingCall(BlockingKind.Wait, "Barrier.SignalAndWait", AwaitFixKind.None, null, NoAsyncWait);
                return true;

            case "WaitOne" or "WaitAll" or "WaitAny" when BlockingApi.InheritsFromOrEquals(type, api.WaitHandle):
                call = new BlockingCall(BlockingKind.Wait, "WaitHandle." + method.Name, AwaitFixKind.None, null, NoAsyncWait);
                return true;

            default:
                return false;
        }
    }

    private static bool ClassifyWaitAllOrAny(IInvocationOperation invocation, IMethodSymbol method, out BlockingCall call)
    {
        // Only calls that pass nothing but the tasks map onto WhenAll/WhenAny; a timeout or token changes the meaning.
        // (.NET 9 added WaitAll(IEnumerable<Task>, CancellationToken = default): fine while the token is left out.)
        bool onlyTasks = method.Parameters.Length >= 1
            && method.Parameters[0].Type is IArrayTypeSymbol or INamedTypeSymbol { Name: "ReadOnlySpan" or "IEnumerable" }
            && OnlyFirstArgumentIsExplicit(invocation);
        var fix = AwaitFixKind.None;
        if (onlyTasks && method.Name == "WaitAll")
            fix = AwaitFixKind.WhenAll;
        else if (onlyTasks && invocation.Parent is IExpressionStatementOperation)
            fix = AwaitFixKind.WhenAny; // WaitAny returns an index, WhenAny a task: equivalent only when the value is discarded.

        string when = method.Name == "WaitAll" ? "Task.WhenAll" : "Task.WhenAny";
        call = new BlockingCall(BlockingKind.Wait, "Task." + method.Name, fix, null, "await '" + when + "'");
        return true;
    }

    private static bool OnlyFirstArgumentIsExplicit(IInvocationOperation invocation)
    {
        for (int i = 1; i < invocation.Arguments.Length; i++)
        {
            if (invocation.Arguments[i].ArgumentKind != ArgumentKind.DefaultValue)
                return false;
        }

        return true;
    }

    /// <summary>
    /// <c>x.GetAwaiter().GetResult()</c> on any awaiter of System.Runtime.CompilerServices (task, value task, configured
    /// awaitables). <paramref name="awaitable"/> is <c>x</c> when the awaiter comes straight from <c>GetAwaiter()</c>.
    /// </summary>
    private static bool IsAwaiterGetResult(IInvocationOperation invocation, out IOperation? awaitable)
    {
        awaitable = null;
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (method.IsStatic || method.Parameters.Length != 0 || !type.Name.EndsWith("Awaiter", System.StringComparison.Ordinal))
            return false;

        if (type.ContainingNamespace?.ToDisplayString() != "System.Runtime.CompilerServices")
            return false;

        if (invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } source })
            awaitable = source;

        return true;
    }

    private static bool IsInsideNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
                return true;
        }

        return false;
    }

    private static string TypeName(INamedTypeSymbol type) => type.OriginalDefinition.Name;
}
