using System.Collections.Generic;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Decides whether a task is already complete where its result is read, so reading it cannot block:
/// after <c>await t</c> or <c>await Task.WhenAll(…, t, …)</c> in the same flow, under an <c>IsCompleted</c>-style
/// guard, the task <c>await Task.WhenAny(…)</c> returned, a <c>ContinueWith</c> antecedent, <c>Task.FromResult</c>.
/// When in doubt the answer is "complete": a missed report costs less than a false one.
/// </summary>
internal static class TaskCompletionFacts
{
    public static bool IsProvenComplete(IOperation? task, IOperation usage, IOperation functionBody, ConcurrencyCatalogue catalogue)
    {
        var tasks = catalogue.Tasks;
        task = Unwrap(task, tasks);
        if (task is null)
            return false;

        if (IsCompletedByConstruction(task, tasks))
            return true;

        var key = TaskReference.From(task);
        if (key is null)
            return false;

        return IsContinuationAntecedent(key.Value.Symbol, usage, tasks)
            || IsAssignedFromAwaitedWhenAny(key.Value, functionBody, tasks)
            || IsGuarded(key.Value, usage, functionBody, catalogue)
            || IsElementOfAwaitedCollection(key.Value, usage, catalogue)
            || IsAwaitedBefore(key.Value, usage, functionBody, catalogue);
    }

    /// <summary>Strips conversions, parentheses and <c>ConfigureAwait(…)</c>, which do not change which task it is.</summary>
    internal static IOperation? Unwrap(IOperation? operation, TaskCatalogue tasks)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                case IInvocationOperation { Instance: { } instance } configure when tasks.IsConfigureAwait(configure):
                    operation = instance;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool IsCompletedByConstruction(IOperation task, TaskCatalogue tasks) => task switch
    {
        IInvocationOperation invocation => tasks.CompletedByConstruction.Contains(invocation.TargetMethod),
        IPropertyReferenceOperation property => tasks.CompletedByConstruction.Contains(property.Property),
        _ => false,
    };

    /// <summary>The first parameter of a lambda passed to <c>ContinueWith</c> is the antecedent, which has completed.</summary>
    private static bool IsContinuationAntecedent(ISymbol symbol, IOperation usage, TaskCatalogue tasks)
    {
        if (symbol is not IParameterSymbol { Ordinal: 0, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda })
            return false;

        for (var current = usage.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
            {
                // lambda → delegate creation → argument → ContinueWith(…) invocation
                return function.Parent?.Parent?.Parent is IInvocationOperation invocation && tasks.ContinueWith.Contains(invocation.TargetMethod);
            }
        }

        return false;
    }

    /// <summary>
    /// The element parameter of a lambda run over a collection of tasks that was awaited as a whole before:
    /// <c>await Task.WhenAll(all); return all.Select(t =&gt; t.Result);</c>
    /// </summary>
    private static bool IsElementOfAwaitedCollection(TaskReference key, IOperation usage, ConcurrencyCatalogue catalogue)
    {
        if (key.IsElement || key.Symbol is not IParameterSymbol { Ordinal: 0, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda })
            return false;

        var tasks = catalogue.Tasks;
        for (var current = usage.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation function || !SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
                continue;

            // lambda → delegate creation → argument → Select(…) / SelectMany(…) / All(…) over the collection
            var argument = function.Parent;
            while (argument is IDelegateCreationOperation or IConversionOperation)
                argument = argument.Parent;
            if (argument is not IArgumentOperation { Parent: IInvocationOperation invocation })
                return false;

            var source = invocation.Instance
                ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 && invocation.Arguments[0] != argument ? invocation.Arguments[0].Value : null);
            if (TaskReference.From(Unwrap(source, tasks)) is not { IsElement: false } collection)
                return false;

            var enclosing = OperationTree.FunctionRoot(invocation);
            int callStart = invocation.Syntax.SpanStart;
            foreach (var awaitOperation in OperationTree.SameFunctionDescendants<IAwaitOperation>(enclosing))
            {
                if (awaitOperation.Syntax.SpanStart < callStart
                    && AwaitedWhenAll(awaitOperation.Operation, tasks) is { } whenAll
                    && whenAll.Arguments.Length == 1 && TaskReference.From(Unwrap(whenAll.Arguments[0].Value, tasks)) is { } awaited && awaited.Equals(collection))
                {
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    private static bool IsUnset(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value is IDefaultValueOperation || value.ConstantValue is { HasValue: true, Value: null };
    }

    /// <summary>
    /// The WhenAll an await waits for, also through wrappers that wait for it with a limit or quietly
    /// (<c>await Task.WhenAll(all).WaitAsync(token).SuppressThrowing()</c>): code after such an await that still runs
    /// finds the tasks done, or has checked the token and left (when in doubt, complete).
    /// </summary>
    private static IInvocationOperation? AwaitedWhenAll(IOperation? awaited, TaskCatalogue tasks)
    {
        for (int depth = 0; depth < 4 && Unwrap(awaited, tasks) is IInvocationOperation invocation; depth++)
        {
            if (tasks.WhenAll.Contains(invocation.TargetMethod))
                return invocation;
            awaited = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        }

        return null;
    }

    private static bool IsAssignedFromAwaitedWhenAny(TaskReference key, IOperation functionBody, TaskCatalogue tasks)
    {
        if (key.IsElement || key.Symbol is not ILocalSymbol local)
            return false;

        // Every value the local is given is the task an awaited WhenAny returned (the declaration may leave it unset):
        // var first = await Task.WhenAny(a, b); or, in a loop, do { ready = await Task.WhenAny(reads); } while (ready.Result);
        int awaitedWhenAny = 0;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(functionBody))
        {
            IOperation? value;
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    value = declarator.Initializer?.Value;
                    if (value is null || IsUnset(value))
                        continue;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    value = assignment.Value;
                    break;
                default:
                    continue;
            }

            if (Unwrap(value, tasks) is not IAwaitOperation awaitOperation || !IsCall(Unwrap(awaitOperation.Operation, tasks), tasks.WhenAny))
                return false;
            awaitedWhenAny++;
        }

        return awaitedWhenAny > 0;
    }

    /// <summary>Walks from the use outwards looking for a condition that holds only once the task has completed.</summary>
    private static bool IsGuarded(TaskReference key, IOperation usage, IOperation functionBody, ConcurrencyCatalogue catalogue)
    {
        var tasks = catalogue.Tasks;
        IOperation child = usage;
        for (var parent = usage.Parent; parent is not null && child != functionBody; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when child == conditional.WhenTrue && Implies(conditional.Condition, key, true, tasks):
                case IConditionalOperation otherwise when child == otherwise.WhenFalse && Implies(otherwise.Condition, key, false, tasks):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } andAlso when child == andAlso.RightOperand && Implies(andAlso.LeftOperand, key, true, tasks):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } orElse when child == orElse.RightOperand && Implies(orElse.LeftOperand, key, false, tasks):
                    return true;

                case IBlockOperation block when IsGuardedByEarlierStatement(block, child, key, catalogue):
                    return true;

                // switch (t.Status) { case TaskStatus.RanToCompletion: … t.Result … }
                case ISwitchCaseOperation section when section.Parent is ISwitchOperation { Value: var status }
                    && section.Clauses.Length > 0
                    && section.Clauses.All(c => c is ISingleValueCaseClauseOperation { Value: var value } && IsFinalStatusCheck(status, value, key, tasks)):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>if (!t.IsCompleted) return;</c>, <c>while (!t.IsCompleted) …;</c> or <c>Debug.Assert(t.IsCompleted)</c> before
    /// the statement that reads the result.
    /// </summary>
    private static bool IsGuardedByEarlierStatement(IBlockOperation block, IOperation statement, TaskReference key, ConcurrencyCatalogue catalogue)
    {
        var tasks = catalogue.Tasks;
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement)
                return false;

            switch (earlier)
            {
                case IConditionalOperation { WhenTrue: { } whenTrue } conditional when Implies(conditional.Condition, key, false, tasks) && (OperationTree.AlwaysExits(whenTrue) || AwaitsTask(whenTrue, key, tasks)):
                case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: { } condition } when Implies(condition, key, false, tasks):
                case IExpressionStatementOperation { Operation: IInvocationOperation { Arguments.Length: > 0 } assert }
                    when catalogue.ControlFlow.IsAssert(assert) && Implies(assert.Arguments[0].Value, key, true, tasks):
                    return true;
            }
        }

        return false;
    }

    private static bool AwaitsTask(IOperation operation, TaskReference key, TaskCatalogue tasks)
    {
        foreach (var awaitOperation in OperationTree.SameFunctionDescendants<IAwaitOperation>(operation))
        {
            if (TaskReference.From(Unwrap(awaitOperation.Operation, tasks)) is { } awaited && awaited.Equals(key))
                return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="condition"/> evaluating to <paramref name="value"/> means the task has completed.</summary>
    private static bool Implies(IOperation? condition, TaskReference key, bool value, TaskCatalogue tasks)
    {
        condition = Unwrap(condition, tasks);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implies(not.Operand, key, !value, tasks);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } andAlso:
                return value
                    ? Implies(andAlso.LeftOperand, key, true, tasks) || Implies(andAlso.RightOperand, key, true, tasks)
                    : Implies(andAlso.LeftOperand, key, false, tasks) && Implies(andAlso.RightOperand, key, false, tasks);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } orElse:
                return value
                    ? Implies(orElse.LeftOperand, key, true, tasks) && Implies(orElse.RightOperand, key, true, tasks)
                    : Implies(orElse.LeftOperand, key, false, tasks) || Implies(orElse.RightOperand, key, false, tasks);

            case IPropertyReferenceOperation state when tasks.CompletionState.Contains(state.Property):
                return value && IsSameTask(state.Instance, key, tasks);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                bool equalsMeansComplete = comparison.OperatorKind == BinaryOperatorKind.Equals;
                if (value != equalsMeansComplete)
                    return false;
                return IsFinalStatusCheck(comparison.LeftOperand, comparison.RightOperand, key, tasks)
                    || IsFinalStatusCheck(comparison.RightOperand, comparison.LeftOperand, key, tasks)
                    || IsWhenAnyWinner(comparison.LeftOperand, comparison.RightOperand, key, tasks)
                    || IsWhenAnyWinner(comparison.RightOperand, comparison.LeftOperand, key, tasks);

            default:
                return false;
        }
    }

    /// <summary><c>t.Status == TaskStatus.RanToCompletion</c> (or Faulted, Canceled).</summary>
    private static bool IsFinalStatusCheck(IOperation status, IOperation constant, TaskReference key, TaskCatalogue tasks) =>
        Unwrap(status, tasks) is IPropertyReferenceOperation reference
        && tasks.Status.Contains(reference.Property)
        && IsSameTask(reference.Instance, key, tasks)
        && Unwrap(constant, tasks) is IFieldReferenceOperation final && tasks.FinalStatus.Contains(final.Field);

    /// <summary><c>await Task.WhenAny(t, timeout) == t</c>, also through a local: <c>var first = await Task.WhenAny(…); if (first == t)</c>.</summary>
    private static bool IsWhenAnyWinner(IOperation winner, IOperation candidate, TaskReference key, TaskCatalogue tasks) =>
        IsAwaitedWhenAny(Unwrap(winner, tasks), tasks) && IsSameTask(candidate, key, tasks);

    private static bool IsAwaitedWhenAny(IOperation? operation, TaskCatalogue tasks)
    {
        if (operation is ILocalReferenceOperation { Local: var local } reference
            && local.DeclaringSyntaxReferences.Length == 1
            && reference.SemanticModel?.GetOperation(local.DeclaringSyntaxReferences[0].GetSyntax()) is IVariableDeclaratorOperation declarator)
        {
            operation = Unwrap(declarator.Initializer?.Value, tasks);
        }

        return operation is IAwaitOperation awaitOperation && IsCall(Unwrap(awaitOperation.Operation, tasks), tasks.WhenAny);
    }

    private static bool IsSameTask(IOperation? operation, TaskReference key, TaskCatalogue tasks) =>
        TaskReference.From(Unwrap(operation, tasks)) is { } other && other.Equals(key);

    /// <summary>
    /// Something earlier in the same function body that returns only once the task has completed: an <c>await</c> of
    /// the task or of <c>Task.WhenAll</c> over it, or an earlier synchronous wait for it (<c>t.Wait()</c>, <c>t.Result</c>,
    /// <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll</c> without a timeout). Only the first blocking point of a task is
    /// a wait; the reads after it return at once.
    /// </summary>
    private static bool IsAwaitedBefore(TaskReference key, IOperation usage, IOperation functionBody, ConcurrencyCatalogue catalogue)
    {
        var tasks = catalogue.Tasks;
        int usageStart = usage.Syntax.SpanStart;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(functionBody))
        {
            if (operation.Syntax.SpanStart >= usageStart)
                continue;

            switch (operation)
            {
                case IAwaitOperation awaitOperation when Unwrap(awaitOperation.Operation, tasks) is { } awaited:
                    if (TaskReference.From(awaited) is { } direct && (direct.Equals(key) || AwaitsEveryElement(direct, awaitOperation, key, tasks)))
                        return true;
                    if (IsCall(awaited, tasks.WhenAll) && WhenAllCovers((IInvocationOperation)awaited, key, functionBody, tasks))
                        return true;
                    break;

                case IPropertyReferenceOperation read when tasks.Result.Contains(read.Property) && IsSameTask(read.Instance, key, tasks):
                case IInvocationOperation { TargetMethod.Parameters.Length: 0 } wait when tasks.Wait.Contains(wait.TargetMethod) && IsSameTask(wait.Instance, key, tasks):
                case IInvocationOperation { Instance: IInvocationOperation getAwaiter } getResult when tasks.AwaiterGetResult.Contains(getResult.TargetMethod) && tasks.GetAwaiter.Contains(getAwaiter.TargetMethod) && IsSameTask(getAwaiter.Instance, key, tasks):
                    return true;

                case IInvocationOperation waitAll when tasks.WaitAll.Contains(waitAll.TargetMethod) && HasNoTimeout(waitAll, catalogue.Types):
                    if (WhenAllCovers(waitAll, key, functionBody, tasks))
                        return true;
                    break;
            }
        }

        return false;
    }

    /// <summary>WaitAll with a timeout may return before the tasks complete.</summary>
    private static bool HasNoTimeout(IInvocationOperation waitAll, KnownTypes types)
    {
        foreach (var parameter in waitAll.TargetMethod.Parameters)
        {
            if (parameter.Type.SpecialType == SpecialType.System_Int32 || KnownTypes.Is(parameter.Type, types.TimeSpan))
                return false;
        }

        return true;
    }

    /// <summary><c>foreach (var t in tasks) await t;</c> awaits every element of <c>tasks</c>.</summary>
    private static bool AwaitsEveryElement(TaskReference awaited, IAwaitOperation awaitOperation, TaskReference key, TaskCatalogue tasks)
    {
        if (awaited.IsElement || awaited.Symbol is not ILocalSymbol iterationVariable)
            return false;

        for (var parent = awaitOperation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IForEachLoopOperation loop && ContainsSymbol(loop.Locals, iterationVariable))
                return TaskReference.From(Unwrap(loop.Collection, tasks)) is { } collection && CollectionContains(collection, key, loop, tasks);
        }

        return false;
    }

    private static bool WhenAllCovers(IInvocationOperation whenAll, TaskReference key, IOperation functionBody, TaskCatalogue tasks)
    {
        foreach (var argument in whenAll.Arguments)
        {
            var value = Unwrap(argument.Value, tasks);

            // WhenAll(a, b) passes its tasks as a params array or, from C# 13 on, as a params ReadOnlySpan built like the
            // collection expression WhenAll([a, b]); either may spread a collection in ([..tasks, extra]).
            if (CollectionElements.TryGet(value, out var elements))
            {
                foreach (var element in elements)
                {
                    if (IsSameTask(element, key, tasks)
                        || CollectionElements.SpreadOperand(element) is { } spread && TaskReference.From(Unwrap(spread, tasks)) is { } spreadCollection && CollectionContains(spreadCollection, key, functionBody, tasks))
                    {
                        return true;
                    }
                }

                continue;
            }

            if (TaskReference.From(value) is { } collection && CollectionContains(collection, key, functionBody, tasks))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Whether a task reference denotes an element of <paramref name="collection"/>: an indexed element, a foreach
    /// variable over it, or a local that was put into it by its initializer or <c>Add</c>.
    /// </summary>
    private static bool CollectionContains(TaskReference collection, TaskReference key, IOperation scope, TaskCatalogue tasks)
    {
        if (key.IsElement)
            return SymbolEqualityComparer.Default.Equals(key.Symbol, collection.Symbol);

        if (key.Symbol is ILocalSymbol local && IsIterationVariableOver(local, collection, scope, tasks))
            return true;

        var root = scope;
        while (root.Parent is not null)
            root = root.Parent;

        foreach (var reference in OperationTree.SameFunctionDescendants<IOperation>(root))
        {
            if (!IsSameTask(reference, key, tasks))
                continue;

            // The task appears inside the collection's initializer, or is passed to collection.Add(…).
            for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, collection.Symbol))
                    return true;
                if (parent is IInvocationOperation add && CollectionCatalogue.IsMutationByName(add.TargetMethod) && IsSameTask(add.Instance, collection, tasks))
                    return true;
            }
        }

        return false;
    }

    private static bool IsIterationVariableOver(ILocalSymbol local, TaskReference collection, IOperation scope, TaskCatalogue tasks)
    {
        var root = scope;
        while (root.Parent is not null)
            root = root.Parent;

        foreach (var loop in OperationTree.SameFunctionDescendants<IForEachLoopOperation>(root))
        {
            if (ContainsSymbol(loop.Locals, local) && IsSameTask(loop.Collection, collection, tasks))
                return true;
        }

        return false;
    }

    private static bool IsCall(IOperation? operation, MemberSet methods) =>
        operation is IInvocationOperation invocation && methods.Contains(invocation.TargetMethod);

    private static bool ContainsSymbol(System.Collections.Immutable.ImmutableArray<ILocalSymbol> locals, ILocalSymbol local)
    {
        foreach (var candidate in locals)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, local))
                return true;
        }

        return false;
    }

}
