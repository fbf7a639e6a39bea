using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Walks over one function's operations. Lambdas and local functions are separate functions: their bodies run when
/// they are called, at another time and possibly on another thread, so no fact about "this function" reaches into them.
/// </summary>
internal static class OperationTree
{
    /// <summary>The value under any implicit or explicit conversions: what a cast, a boxing or a widening wraps.</summary>
    public static IOperation? Unconverted(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
            operation = conversion.Operand;
        return operation;
    }

    /// <summary>The innermost lambda, local function or member body holding <paramref name="operation"/>.</summary>
    public static IOperation FunctionRoot(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null && root is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
            root = root.Parent;
        return root;
    }

    /// <summary>Whether <paramref name="operation"/> sits in a lambda or local function below <paramref name="root"/> (any, when null).</summary>
    public static bool IsInNestedFunction(IOperation operation, IOperation? root = null)
    {
        for (var parent = operation.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return true;
        }

        return false;
    }

    /// <summary><paramref name="root"/> and every operation below it that the same function executes.</summary>
    public static IEnumerable<T> SameFunctionDescendants<T>(IOperation root)
        where T : IOperation
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current is T match)
                yield return match;

            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    stack.Push(child);
            }
        }
    }

    /// <summary>
    /// Whether the same function leaves or jumps somewhere inside <paramref name="operation"/> (a return, break, continue
    /// or goto; not one in a lambda or local function below it). Asked for every statement on the way up from every call
    /// of a body, so the answer comes from one walk of the whole member body rather than a walk per question.
    /// </summary>
    public static bool ContainsJump(IOperation operation) =>
        JumpIndex.GetValue(Top(operation), static top => Holders(top, static o => o is IReturnOperation or IBranchOperation)).Contains(operation);

    private static readonly ConditionalWeakTable<IOperation, HashSet<IOperation>> JumpIndex = new();

    /// <summary>The outermost operation of the tree <paramref name="operation"/> belongs to (the member body).</summary>
    public static IOperation Top(IOperation operation)
    {
        while (operation.Parent is not null)
            operation = operation.Parent;
        return operation;
    }

    /// <summary>
    /// Every operation of the tree below <paramref name="top"/> that is, or holds in its own function, an operation
    /// <paramref name="marks"/> picks: what <see cref="SameFunctionDescendants{T}"/> of it would find, for all operations
    /// of the tree in one walk.
    /// </summary>
    public static HashSet<IOperation> Holders(IOperation top, System.Func<IOperation, bool> marks)
    {
        var holding = new HashSet<IOperation>();
        foreach (var marked in top.DescendantsAndSelf())
        {
            if (!marks(marked))
                continue;

            // Up to and including the innermost function around the mark: above it the mark belongs to another function.
            for (var current = marked; current is not null && holding.Add(current); current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    break;
            }
        }

        return holding;
    }

    /// <summary>A statement (or block) whose last statement leaves: return, throw, break, continue or goto.</summary>
    public static bool AlwaysExits(IOperation operation)
    {
        var last = operation is IBlockOperation block ? block.Operations.LastOrDefault() : operation;
        return last is IReturnOperation or IThrowOperation or IBranchOperation or IExpressionStatementOperation { Operation: IThrowOperation };
    }
}
