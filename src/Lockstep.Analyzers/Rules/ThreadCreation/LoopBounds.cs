using System.Collections.Generic;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// How many times a loop runs, as far as LS4001 needs to know: bounded (a compile-time count no larger than the
/// configured maximum, or <c>Environment.ProcessorCount</c>), or driven by something that grows with the input —
/// accepted connections, messages taken from a queue, the items of a collection, or plain iterations. When in doubt
/// the answer is "bounded": a missed report costs less than a false one.
/// </summary>
internal static class LoopBounds
{
    /// <summary>The loops around <paramref name="operation"/> in its own function, innermost first; null when there are none (the common case, without allocating).</summary>
    public static List<ILoopOperation>? EnclosingLoops(IOperation operation)
    {
        List<ILoopOperation>? loops = null;
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                break;
            if (parent is ILoopOperation loop)
                (loops ??= new List<ILoopOperation>()).Add(loop);
        }

        return loops;
    }

    /// <summary>Whether the loop's trip count is bounded by a small constant or the processor count.</summary>
    public static bool IsBounded(ILoopOperation loop, int max, LoopCatalogue catalogue)
    {
        switch (loop)
        {
            case IForEachLoopOperation forEach:
                return IsSmallCollection(forEach.Collection, max, catalogue);

            case IForLoopOperation forLoop:
                if (forLoop.Condition is null || IsConstantTrue(forLoop.Condition))
                    return HasBoundedExit(loop, max, catalogue);
                return IsBoundedCondition(forLoop.Condition, forLoop.Before, max, catalogue);

            case IWhileLoopOperation whileLoop:
                if (whileLoop.Condition is null || IsConstantTrue(whileLoop.Condition))
                    return HasBoundedExit(loop, max, catalogue);
                return !whileLoop.ConditionIsUntil && IsBoundedCondition(whileLoop.Condition, default, max, catalogue);

            default:
                return true; // an unknown loop kind: do not guess
        }
    }

    /// <summary>What makes the loop run again, in the words of the message: <c>accepted connection</c>, <c>message</c>, <c>item of 'orders'</c>, <c>loop iteration</c>.</summary>
    public static string DescribeDriver(ILoopOperation loop, LoopCatalogue catalogue)
    {
        if (InputTaken(loop, catalogue) is { } input)
            return input;

        if (loop is IForEachLoopOperation forEach)
            return "item of '" + DescribeCollection(forEach.Collection) + "'";

        return "loop iteration";
    }

    /// <summary>What the loop takes from outside on each iteration: <c>accepted connection</c>, <c>message</c>, or null.</summary>
    private static string? InputTaken(ILoopOperation loop, LoopCatalogue catalogue)
    {
        bool message = false;
        foreach (var invocation in OperationTree.SameFunctionDescendants<IInvocationOperation>(loop))
        {
            if (catalogue.IsAccept(invocation.TargetMethod))
                return "accepted connection";
            message |= catalogue.IsMessageTake(invocation.TargetMethod);
        }

        return message ? "message" : null;
    }

    /// <summary>A short name for the collection a foreach walks: the variable, member or method, else its source text when short.</summary>
    private static string DescribeCollection(IOperation collection)
    {
        var operation = OperationTree.Unconverted(collection);
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return local.Local.Name;
            case IParameterReferenceOperation parameter:
                return parameter.Parameter.Name;
            case IFieldReferenceOperation field:
                return field.Field.Name;
            case IPropertyReferenceOperation property:
                return property.Property.Name;
        }

        string text = operation?.Syntax.ToString() ?? collection.Syntax.ToString();
        return text.Length <= 40 ? text : "the collection";
    }

    private static bool IsConstantTrue(IOperation condition) => condition.ConstantValue is { HasValue: true, Value: true };

    /// <summary>A foreach over an array literal, a collection expression or a range of at most <paramref name="max"/> elements.</summary>
    private static bool IsSmallCollection(IOperation collection, int max, LoopCatalogue catalogue)
    {
        var operation = OperationTree.Unconverted(collection);
        if (IsSmallLiteral(operation, max, catalogue))
            return true;

        switch (operation)
        {
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }:
                return text.Length <= max;

            case IInvocationOperation invocation when catalogue.IsRangeOrRepeat(invocation.TargetMethod) && invocation.Arguments.Length == 2:
                return IsSmallCount(invocation.Arguments[1].Value, max, catalogue);

            case ILocalReferenceOperation local:
                return AssignedOnlyFrom(local.Local, operation, value => IsSmallLiteral(OperationTree.Unconverted(value), max, catalogue));

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field }:
                return IsSmallArrayInitializer(field, max);
        }

        return false;
    }

    /// <summary>An array created with at most <paramref name="max"/> elements, or a collection expression of as many that spreads nothing.</summary>
    private static bool IsSmallLiteral(IOperation? operation, int max, LoopCatalogue catalogue)
    {
        if (operation is IArrayCreationOperation { Initializer: null } sized)
            return sized.DimensionSizes.Length == 1 && IsSmallCount(sized.DimensionSizes[0], max, catalogue);

        if (!CollectionElements.TryGet(operation, out var elements) || elements.Length > max)
            return false;

        foreach (var element in elements)
        {
            if (CollectionElements.SpreadOperand(element) is not null)
                return false;
        }

        return true;
    }

    /// <summary>
    /// A readonly array field initialised with a literal or a collection expression of at most <paramref name="max"/>
    /// elements, read from its syntax only: its initializer may be in another tree.
    /// </summary>
    private static bool IsSmallArrayInitializer(IFieldSymbol field, int max)
    {
        if (MemberInitializer.Of(field) is not { } value)
            return false;

        int? elements = value switch
        {
            InitializerExpressionSyntax initializer => initializer.Expressions.Count,
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.Count,
            ImplicitArrayCreationExpressionSyntax creation => creation.Initializer.Expressions.Count,
            _ => CollectionElements.CountInSyntax(value),
        };
        return elements <= max;
    }

    /// <summary>A count that is a constant no larger than <paramref name="max"/>, or bounded by the processor count.</summary>
    public static bool IsSmallCount(IOperation value, int max, LoopCatalogue catalogue) =>
        UpperBound(value, max, catalogue) is { } bound && bound <= max;

    /// <summary>
    /// An upper bound of <paramref name="value"/> when it is small: the constant itself, or 0 standing for
    /// "at most a small multiple of <c>Environment.ProcessorCount</c>" (always acceptable). Null when unknown.
    /// </summary>
    private static long? UpperBound(IOperation? value, int max, LoopCatalogue catalogue)
    {
        value = OperationTree.Unconverted(value);
        if (value is null)
            return null;

        if (value.ConstantValue is { HasValue: true, Value: var constant })
            return constant is int or long or short or byte or uint or ushort or sbyte ? System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) : null;

        switch (value)
        {
            case IPropertyReferenceOperation processors when catalogue.IsProcessorCount(processors.Property):
                return 0;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply or BinaryOperatorKind.Add } binary:
            {
                // ProcessorCount * k or ProcessorCount + k, with a small constant k.
                var (left, right) = (UpperBound(binary.LeftOperand, max, catalogue), UpperBound(binary.RightOperand, max, catalogue));
                if (left is null || right is null)
                    return null;
                bool multiply = binary.OperatorKind == BinaryOperatorKind.Multiply;
                if (left == 0 || right == 0)
                    return (multiply ? left + right <= MaxProcessorMultiple : left + right <= max) ? 0 : null;
                return multiply ? left * right : left + right;
            }

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift } binary:
                return UpperBound(binary.LeftOperand, max, catalogue);

            case IInvocationOperation min when catalogue.IsMin(min.TargetMethod) && min.Arguments.Length == 2:
            {
                // Math.Min(n, bound) is at most the smaller known bound.
                var (left, right) = (UpperBound(min.Arguments[0].Value, max, catalogue), UpperBound(min.Arguments[1].Value, max, catalogue));
                return left is null ? right : right is null ? left : System.Math.Min(left.Value, right.Value);
            }

            case ILocalReferenceOperation local:
            {
                long? bound = null;
                return AssignedOnlyFrom(local.Local, value, v => (bound = UpperBound(v, max, catalogue)) is not null) ? bound : null;
            }

            case IPropertyReferenceOperation { Instance: ILocalReferenceOperation { Local: { Type: IArrayTypeSymbol } array } } length
                when CollectionCatalogue.IsSizeQuery(length.Property):
            {
                // threads.Length of a local array made once with new Thread[k]: at most k.
                long? bound = null;
                return AssignedOnlyFrom(array, value, v => OperationTree.Unconverted(v) is IArrayCreationOperation { DimensionSizes.Length: 1 } created
                    && (bound = UpperBound(created.DimensionSizes[0], max, catalogue)) is not null) ? bound : null;
            }
        }

        return null;
    }

    /// <summary>Constant multiples of the processor count accepted as bounded (<c>ProcessorCount * 4</c> for I/O-bound workers).</summary>
    private const int MaxProcessorMultiple = 16;

    /// <summary>
    /// A loop condition that bounds the trip count: <c>i &lt; K</c> (or <c>&lt;=</c>, <c>!=</c>, mirrored) counting up,
    /// <c>i &gt; K</c> counting down from a known start, or any such comparison joined by <c>&amp;&amp;</c>.
    /// </summary>
    private static bool IsBoundedCondition(IOperation condition, System.Collections.Immutable.ImmutableArray<IOperation> before, int max, LoopCatalogue catalogue)
    {
        condition = OperationTree.Unconverted(condition)!;
        if (condition is not IBinaryOperation binary)
            return false;

        if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd)
            return IsBoundedCondition(binary.LeftOperand, before, max, catalogue) || IsBoundedCondition(binary.RightOperand, before, max, catalogue);

        var kind = binary.OperatorKind;
        var counter = OperationTree.Unconverted(binary.LeftOperand);
        var limit = binary.RightOperand;
        if (!IsCounter(counter))
        {
            // K > i is i < K.
            (counter, limit) = (OperationTree.Unconverted(binary.RightOperand), binary.LeftOperand);
            kind = kind switch
            {
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                _ => kind,
            };
            if (!IsCounter(counter))
                return false;
        }

        long? start = StartValue(counter!, before, max, catalogue);
        switch (kind)
        {
            case BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.NotEquals:
            {
                // Counting up to the limit; an unknown start is taken as 0 (trip counts only shrink from there).
                if (UpperBound(limit, max, catalogue) is not { } bound)
                    return false;
                long trips = bound - (start is > 0 ? start.Value : 0) + (kind == BinaryOperatorKind.LessThanOrEqual ? 1 : 0);
                return trips <= max;
            }

            case BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual:
            {
                // Counting down: bounded only when the start is known to be small.
                if (start is not { } from || limit.ConstantValue is not { HasValue: true })
                    return false;
                return from <= max;
            }

            default:
                return false;
        }
    }

    private static bool IsCounter(IOperation? operation) =>
        operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation;

    /// <summary>The counter's initial value in the for loop's initializer, if it is a known small bound.</summary>
    private static long? StartValue(IOperation counter, System.Collections.Immutable.ImmutableArray<IOperation> before, int max, LoopCatalogue catalogue)
    {
        if (counter is not ILocalReferenceOperation { Local: var local } || before.IsDefaultOrEmpty)
            return null;

        foreach (var operation in before)
        {
            foreach (var declarator in OperationTree.SameFunctionDescendants<IVariableDeclaratorOperation>(operation))
            {
                if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    return UpperBound(declarator.Initializer?.Value, max, catalogue);
            }

            if (operation is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment }
                && SymbolEqualityComparer.Default.Equals(target.Local, local))
            {
                return UpperBound(assignment.Value, max, catalogue);
            }
        }

        return null;
    }

    /// <summary>
    /// An endless loop (<c>while (true)</c>, <c>for (;;)</c>) that leaves through <c>if (count &gt;= K) break;</c> (or
    /// return/throw) with a bounded comparison.
    /// </summary>
    private static bool HasBoundedExit(ILoopOperation loop, int max, LoopCatalogue catalogue)
    {
        foreach (var conditional in OperationTree.SameFunctionDescendants<IConditionalOperation>(loop.Body))
        {
            if (conditional.WhenTrue is not { } whenTrue || !ExitsLoop(whenTrue, loop))
                continue;

            // if (started >= K) break;  is the mirror of  while (started < K).
            if (OperationTree.Unconverted(conditional.Condition) is IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals } exit
                && (IsCounter(OperationTree.Unconverted(exit.LeftOperand)) ? UpperBound(exit.RightOperand, max, catalogue) : UpperBound(exit.LeftOperand, max, catalogue)) is { } bound
                && bound <= max)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A retry loop around <paramref name="site"/>: an endless loop (<c>while (true)</c>, <c>for (;;)</c>) that, in the same
    /// iteration and after the site, leaves on a condition (<c>start(); if (succeeded) break;</c>). It runs again only when
    /// the attempt says so: its trip count is the number of failed attempts, not the size of an input. (A server loop's
    /// shutdown check, <c>if (stopping) break;</c> before the accept and the start, is not after the site and does not
    /// count.) A loop that accepts connections or takes messages is driven by its input whatever it checks at the end of
    /// an iteration (an event loop's <c>if (State == ShuttingDown) break;</c>): never a retry loop.
    /// </summary>
    public static bool IsRetryLoop(ILoopOperation loop, IOperation site, LoopCatalogue catalogue)
    {
        bool endless = loop switch
        {
            IForLoopOperation forLoop => forLoop.Condition is null || IsConstantTrue(forLoop.Condition),
            IWhileLoopOperation whileLoop => whileLoop.Condition is null || IsConstantTrue(whileLoop.Condition),
            _ => false,
        };
        if (!endless || InputTaken(loop, catalogue) is not null)
            return false;

        int after = site.Syntax.Span.End;
        foreach (var conditional in OperationTree.SameFunctionDescendants<IConditionalOperation>(loop.Body))
        {
            if (conditional.Syntax.SpanStart >= after && conditional.WhenTrue is { } whenTrue && ExitsLoop(whenTrue, loop)
                && InnermostLoop(conditional) == loop)
            {
                return true;
            }
        }

        return false;
    }

    private static ILoopOperation? InnermostLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
                return loop;
        }

        return null;
    }

    private static bool ExitsLoop(IOperation statement, ILoopOperation loop)
    {
        var last = statement is IBlockOperation block && block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : statement;
        return last switch
        {
            IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
            _ => false,
        };
    }

    /// <summary>
    /// Whether <paramref name="method"/> calls itself (anywhere in its body, lambdas included: <c>new Thread(() =&gt;
    /// Walk(child))</c> is the classic form) without a depth limit. A parameter passed on as <c>depth + 1</c> and compared
    /// with a small constant (<c>if (depth &gt;= 3) { …; return; }</c>) limits the depth, so the thread count is bounded.
    /// </summary>
    public static bool IsUnboundedRecursion(IOperation body, IMethodSymbol method, int max, LoopCatalogue catalogue)
    {
        var definition = method.OriginalDefinition;
        var depthParameters = new List<IParameterSymbol>();
        bool recursive = false;
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation invocation || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, definition))
                continue;

            recursive = true;
            foreach (var argument in invocation.Arguments)
            {
                if (OperationTree.Unconverted(argument.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add
                    && (OperationTree.Unconverted(add.LeftOperand) ?? add.LeftOperand) is IParameterReferenceOperation { Parameter: var parameter }
                    && add.RightOperand.ConstantValue.HasValue)
                {
                    depthParameters.Add(parameter);
                }
            }
        }

        if (!recursive)
            return false;
        if (depthParameters.Count == 0)
            return true;

        foreach (var comparison in body.DescendantsAndSelf())
        {
            if (comparison is IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } binary)
            {
                var (left, right) = (OperationTree.Unconverted(binary.LeftOperand), OperationTree.Unconverted(binary.RightOperand));
                if ((left is IParameterReferenceOperation l && depthParameters.Contains(l.Parameter, SymbolEqualityComparer.Default) && IsSmallCount(binary.RightOperand, max, catalogue))
                    || (right is IParameterReferenceOperation r && depthParameters.Contains(r.Parameter, SymbolEqualityComparer.Default) && IsSmallCount(binary.LeftOperand, max, catalogue)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether every value the local ever gets (initializer and assignments in its function) satisfies <paramref name="accept"/>.</summary>
    private static bool AssignedOnlyFrom(ILocalSymbol local, IOperation reference, System.Func<IOperation?, bool> accept)
    {
        bool sawValue = false;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(OperationTree.FunctionRoot(reference)))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.Initializer is null || !accept(declarator.Initializer.Value))
                        return false;
                    sawValue = true;
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented } when SymbolEqualityComparer.Default.Equals(incremented.Local, local):
                    return false;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed } when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                    return false;
            }
        }

        return sawValue;
    }
}
