using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Engine;

/// <summary>A test of a <c>bool</c> parameter of the function that an operation runs under: it runs only when the parameter has <see cref="Value"/>.</summary>
internal readonly struct FlagGuard
{
    public FlagGuard(int ordinal, bool value)
    {
        Ordinal = ordinal;
        Value = value;
    }

    public int Ordinal { get; }

    public bool Value { get; }
}

/// <summary>
/// Where an operation sits among the branches of its function, as far as the questions about blocking care:
/// <list type="bullet">
/// <item><description><see cref="Flags"/>: the <c>bool</c> parameters it is guarded by (<c>if (async) … else …</c>, an
/// early <c>if (!async) return …;</c>, <c>async ? a : b</c>), so a caller that passes a constant decides whether it runs;</description></item>
/// <item><description><see cref="IsSyncHalfOfDualMode"/>: it is in the synchronous half of code that does the same work
/// asynchronously in the other half (the other branch awaits, or returns a task it got from a call): the shape of
/// libraries that serve sync and async callers from one method, selected by a flag (<c>bool async</c>,
/// <c>context.IsSynchronous</c>). The sync half is for sync callers; it runs for async ones only when they select it;</description></item>
/// <item><description><see cref="IsErrorPath"/>: the code after it always ends in a <c>throw</c> (or it builds the thrown
/// exception): it runs only when something already failed, to clean up on the way out.</description></item>
/// </list>
/// </summary>
internal sealed class BranchFacts
{
    public static readonly BranchFacts Unconditional = new(ImmutableArray<FlagGuard>.Empty, isSyncHalfOfDualMode: false, isErrorPath: false);

    public BranchFacts(ImmutableArray<FlagGuard> flags, bool isSyncHalfOfDualMode, bool isErrorPath)
    {
        Flags = flags;
        IsSyncHalfOfDualMode = isSyncHalfOfDualMode;
        IsErrorPath = isErrorPath;
    }

    public ImmutableArray<FlagGuard> Flags { get; }

    public bool IsSyncHalfOfDualMode { get; }

    public bool IsErrorPath { get; }
}

/// <summary>What a call passes for one <c>bool</c> parameter of its callee.</summary>
internal readonly struct FlagArgument
{
    private FlagArgument(FlagArgumentKind kind, bool value, int ordinal)
    {
        Kind = kind;
        Value = value;
        Ordinal = ordinal;
    }

    public FlagArgumentKind Kind { get; }

    /// <summary>For <see cref="FlagArgumentKind.Constant"/>, the constant; for <see cref="FlagArgumentKind.Parameter"/>, true when negated.</summary>
    public bool Value { get; }

    /// <summary>For <see cref="FlagArgumentKind.Parameter"/>: which parameter of the calling function is passed on.</summary>
    public int Ordinal { get; }

    public static FlagArgument Constant(bool value) => new(FlagArgumentKind.Constant, value, -1);

    public static FlagArgument Parameter(int ordinal, bool negated) => new(FlagArgumentKind.Parameter, negated, ordinal);
}

internal enum FlagArgumentKind
{
    Unknown,
    Constant,
    Parameter,
}

/// <summary>
/// The <c>bool</c> parameters of one function whose value is known on one path of calls (a constant some caller
/// passed, possibly handed on through parameters). At most 32 parameters are tracked; the rest stay unknown.
/// </summary>
internal readonly struct FlagState : System.IEquatable<FlagState>
{
    private readonly uint _known;
    private readonly uint _values;

    private FlagState(uint known, uint values)
    {
        _known = known;
        _values = values;
    }

    public static FlagState Unknown => default;

    public bool IsUnknown => _known == 0;

    /// <summary>The value of parameter <paramref name="ordinal"/>, or null when no constant reaches it.</summary>
    public bool? Of(int ordinal) => ordinal is >= 0 and < 32 && (_known & (1u << ordinal)) != 0 ? (_values & (1u << ordinal)) != 0 : null;

    /// <summary>The state of a callee's parameters given what a call passes and what the caller's own parameters hold.</summary>
    public static FlagState ForCallee(ImmutableArray<FlagArgument> arguments, FlagState caller)
    {
        uint known = 0, values = 0;
        for (int i = 0; i < arguments.Length && i < 32; i++)
        {
            bool? value = arguments[i].Kind switch
            {
                FlagArgumentKind.Constant => arguments[i].Value,
                FlagArgumentKind.Parameter => caller.Of(arguments[i].Ordinal) is { } passed ? passed != arguments[i].Value : null,
                _ => null,
            };

            if (value is { } known1)
            {
                known |= 1u << i;
                if (known1)
                    values |= 1u << i;
            }
        }

        return new FlagState(known, values);
    }

    /// <summary>No guard contradicts a known value: the guarded code may run.</summary>
    public bool Allows(ImmutableArray<FlagGuard> guards)
    {
        foreach (var guard in guards)
        {
            if (Of(guard.Ordinal) is { } value && value != guard.Value)
                return false;
        }

        return true;
    }

    /// <summary>Some guard is satisfied by a constant a caller passed: the caller chose this branch.</summary>
    public bool Selects(ImmutableArray<FlagGuard> guards)
    {
        foreach (var guard in guards)
        {
            if (Of(guard.Ordinal) == guard.Value)
                return true;
        }

        return false;
    }

    public bool Equals(FlagState other) => _known == other._known && _values == other._values;

    public override bool Equals(object? obj) => obj is FlagState other && Equals(other);

    public override int GetHashCode() => unchecked((int)(_known * 31 + _values));
}

/// <summary>Works out <see cref="BranchFacts"/>, <see cref="FlagArgument"/>s and dual-mode flags from a function's operations.</summary>
internal static class Branches
{
    /// <summary>The branch facts of <paramref name="operation"/> within <paramref name="root"/>, the function it belongs to.</summary>
    public static BranchFacts Of(IOperation operation, IOperation root, IMethodSymbol function, ConcurrencyCatalogue catalogue)
    {
        var tasks = catalogue.Tasks;
        List<FlagGuard>? flags = null;
        bool dualMode = false;
        bool errorPath = false;
        bool leavesNormally = false; // a return or jump on the way up: the path can leave without throwing

        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IReturnOperation or IBranchOperation:
                    leavesNormally = true;
                    break;

                case IThrowOperation when !leavesNormally:
                    errorPath = true; // builds or runs on the way to the thrown exception: throw Fail(e)
                    break;

                case IInvocationOperation invocation when !leavesNormally && child is IArgumentOperation && catalogue.ControlFlow.NeverReturns(invocation):
                    errorPath = true; // ThrowHelper.Throw(Fail(e)), Environment.FailFast(Describe(e))
                    break;

                case IConditionalOperation conditional when child != conditional.Condition:
                {
                    bool inTrue = child == conditional.WhenTrue;
                    if (FlagOf(conditional.Condition, function) is { } flag)
                        (flags ??= new()).Add(new FlagGuard(flag.Ordinal, inTrue ? flag.Polarity : !flag.Polarity));

                    var other = inTrue ? conditional.WhenFalse : conditional.WhenTrue;
                    if (other is not null && IsAsynchronousPath(other, tasks) && !IsAsynchronousPath(child, tasks, valueCounts: false))
                        dualMode = true;

                    // The other way round from an early exit: if (sync) { Read(); return; } return ReadAsync(); and, where the
                    // condition names the mode (a bool parameter, a member called like IsSynchronous), a sync step before the
                    // shared async continuation: if (context.IsSynchronous) task.GetAwaiter().GetResult(); return task;
                    if (inTrue && other is null && conditional.Parent is IBlockOperation outer
                        && (OperationTree.AlwaysExits(conditional.WhenTrue) || NamesMode(conditional.Condition, function))
                        && FollowingIsAsynchronous(outer, IndexOf(outer, conditional), tasks) && !IsAsynchronousPath(conditional.WhenTrue, tasks))
                    {
                        dualMode = true;
                    }

                    break;
                }

                case IBlockOperation block:
                {
                    int index = IndexOf(block, child);
                    if (index < 0)
                        break;

                    // Earlier early exits guard what follows them: if (async) return ReadAsync(); Read();
                    for (int i = 0; i < index; i++)
                    {
                        if (block.Operations[i] is IConditionalOperation { WhenFalse: null, WhenTrue: { } exit } guard && OperationTree.AlwaysExits(exit))
                        {
                            if (FlagOf(guard.Condition, function) is { } flag)
                                (flags ??= new()).Add(new FlagGuard(flag.Ordinal, !flag.Polarity));
                            if (IsAsynchronousPath(exit, tasks) && !IsAsynchronousPath(child, tasks))
                                dualMode = true;
                        }
                    }

                    if (!leavesNormally && !errorPath)
                    {
                        for (int i = index + 1; i < block.Operations.Length; i++)
                        {
                            var statement = block.Operations[i];
                            if (statement is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation }
                                || statement is IExpressionStatementOperation { Operation: IInvocationOperation end } && catalogue.ControlFlow.NeverReturns(end))
                            {
                                errorPath = true;
                                break;
                            }

                            if (OperationTree.ContainsJump(statement))
                            {
                                leavesNormally = true;
                                break;
                            }
                        }
                    }

                    if (!errorPath && OperationTree.ContainsJump(child))
                        leavesNormally = true;
                    break;
                }
            }
        }

        if (flags is null && !dualMode && !errorPath)
            return BranchFacts.Unconditional;
        return new BranchFacts(flags?.ToImmutableArray() ?? ImmutableArray<FlagGuard>.Empty, dualMode, errorPath);
    }

    /// <summary>
    /// What a call passes for each <c>bool</c> parameter of its callee, by the callee's parameter ordinal: constants, and,
    /// when <paramref name="caller"/> is given, its own <c>bool</c> parameters handed on.
    /// </summary>
    public static ImmutableArray<FlagArgument> ArgumentsOf(IOperation call, IMethodSymbol? caller)
    {
        var arguments = call switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };

        FlagArgument[]? result = null;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { Type.SpecialType: SpecialType.System_Boolean, Ordinal: < 32 and var ordinal })
                continue;

            var value = argument.Value;
            while (value is IConversionOperation conversion)
                value = conversion.Operand;

            FlagArgument flag;
            if (value.ConstantValue is { HasValue: true, Value: bool constant })
                flag = FlagArgument.Constant(constant);
            else if (caller is not null && FlagOf(value, caller) is { } passed)
                flag = FlagArgument.Parameter(passed.Ordinal, negated: !passed.Polarity);
            else
                continue;

            result ??= new FlagArgument[ordinal + 1];
            if (result.Length <= ordinal)
                System.Array.Resize(ref result, ordinal + 1);
            result[ordinal] = flag;
        }

        return result is null ? ImmutableArray<FlagArgument>.Empty : ImmutableArray.Create(result);
    }

    /// <summary>
    /// The <c>bool</c> parameters that switch <paramref name="function"/> between a synchronous and an asynchronous
    /// half, with the value that selects the synchronous one: <c>if (async) await ReadAsync(); else Read();</c> gives
    /// <c>async = false</c>.
    /// </summary>
    public static ImmutableArray<FlagGuard> SyncModeFlags(IOperation root, IMethodSymbol function, TaskCatalogue tasks)
    {
        List<FlagGuard>? found = null;
        foreach (var conditional in OperationTree.SameFunctionDescendants<IConditionalOperation>(root))
        {
            if (FlagOf(conditional.Condition, function) is not { } flag)
                continue;

            bool trueAsync = IsAsynchronousPath(conditional.WhenTrue, tasks);
            bool falseAsync;
            if (conditional.WhenFalse is { } whenFalse)
                falseAsync = IsAsynchronousPath(whenFalse, tasks);
            else if (OperationTree.AlwaysExits(conditional.WhenTrue) && conditional.Parent is IBlockOperation block)
                falseAsync = FollowingIsAsynchronous(block, IndexOf(block, conditional), tasks);
            else
                falseAsync = false; // if (async) await FlushAsync(); with nothing to do otherwise

            if (trueAsync == falseAsync)
                continue;

            // The synchronous half runs when the condition is false if the true half is the asynchronous one.
            bool syncWhenConditionIs = !trueAsync;
            (found ??= new()).Add(new FlagGuard(flag.Ordinal, syncWhenConditionIs ? flag.Polarity : !flag.Polarity));
        }

        return found is null ? ImmutableArray<FlagGuard>.Empty : found.ToImmutableArray();
    }

    /// <summary>
    /// The mode flags a method declares by the name of a <c>bool</c> parameter, with the value that selects its synchronous
    /// half: <c>async</c>, <c>isAsync</c>, <c>useAsync</c> (false) and <c>sync</c>, <c>isSynchronous</c> (true).
    /// </summary>
    public static ImmutableArray<FlagGuard> DeclaredSyncModeFlags(IMethodSymbol method)
    {
        List<FlagGuard>? found = null;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.SpecialType != SpecialType.System_Boolean || parameter.Ordinal >= 32)
                continue;

            if (parameter.Name.IndexOf("async", System.StringComparison.OrdinalIgnoreCase) >= 0)
                (found ??= new()).Add(new FlagGuard(parameter.Ordinal, false));
            else if (parameter.Name.IndexOf("sync", System.StringComparison.OrdinalIgnoreCase) >= 0)
                (found ??= new()).Add(new FlagGuard(parameter.Ordinal, true));
        }

        return found is null ? ImmutableArray<FlagGuard>.Empty : found.ToImmutableArray();
    }

    /// <summary>
    /// The condition reads what selects a sync or async mode: a <c>bool</c> parameter, property or field whose name says
    /// so (<c>async</c>, <c>IsSynchronous</c>, <c>_runAsync</c>). Without an early exit or an else, only the name tells a
    /// mode switch from an ordinary condition (<c>if (slow) Thread.Sleep(10);</c> before an await is a real block).
    /// </summary>
    private static bool NamesMode(IOperation condition, IMethodSymbol function)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean } parameter }
                    when FlagOf(operation, function) is not null && parameter.Name.IndexOf("sync", System.StringComparison.OrdinalIgnoreCase) >= 0:
                    return true;
                case IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean } property }
                    when property.Name.IndexOf("sync", System.StringComparison.OrdinalIgnoreCase) >= 0:
                    return true;
                case IFieldReferenceOperation { Field: { Type.SpecialType: SpecialType.System_Boolean } field }
                    when field.Name.IndexOf("sync", System.StringComparison.OrdinalIgnoreCase) >= 0:
                    return true;
            }
        }

        return false;
    }

    /// <summary>A <c>bool</c> parameter of <paramref name="function"/>, possibly negated or compared with a constant.</summary>
    private static (int Ordinal, bool Polarity)? FlagOf(IOperation condition, IMethodSymbol function)
    {
        bool polarity = true;
        while (true)
        {
            switch (condition)
            {
                case IConversionOperation conversion:
                    condition = conversion.Operand;
                    continue;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    polarity = !polarity;
                    condition = not.Operand;
                    continue;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when binary.RightOperand.ConstantValue is { HasValue: true, Value: bool constant }:
                    polarity = polarity == (constant == (binary.OperatorKind == BinaryOperatorKind.Equals));
                    condition = binary.LeftOperand;
                    continue;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when binary.LeftOperand.ConstantValue is { HasValue: true, Value: bool constant }:
                    // false == held: the constant on the left, as some code bases write it.
                    polarity = polarity == (constant == (binary.OperatorKind == BinaryOperatorKind.Equals));
                    condition = binary.RightOperand;
                    continue;
                case IParameterReferenceOperation { Parameter: { Type.SpecialType: SpecialType.System_Boolean, RefKind: RefKind.None } parameter }
                    when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol?.OriginalDefinition, function.OriginalDefinition):
                    return (parameter.Ordinal, polarity);
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The code awaits, or returns a task it got from a call (not one made complete on the spot), or is such a task as a
    /// branch of a conditional expression (unless <paramref name="valueCounts"/> is false: the half being classified may
    /// itself be a call that returns a task it completes synchronously): it does its work asynchronously. Lambdas and
    /// local functions inside it do not count.
    /// </summary>
    private static bool IsAsynchronousPath(IOperation code, TaskCatalogue tasks, bool valueCounts = true)
    {
        // A branch of a conditional expression is itself the value: async ? ReadAsync() : Read()
        if (valueCounts && code is not IBlockOperation && code.Parent is IConditionalOperation { IsRef: false } && !(code.Parent.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.IfStatementSyntax)
            && ProducesPendingTask(code, tasks))
        {
            return true;
        }

        return AsynchronousIndex.GetValue(OperationTree.Top(code), top => OperationTree.Holders(top, operation => operation switch
        {
            IAwaitOperation => true,
            IReturnOperation { ReturnedValue: { } returned } => ProducesPendingTask(returned, tasks),
            _ => false,
        })).Contains(code);
    }

    /// <summary>
    /// Per member body, the operations that await or return a pending task in their own function: asked for the branches
    /// around every call of the body, so worked out in one walk. (The task catalogue is the compilation's, as is the tree.)
    /// </summary>
    private static readonly ConditionalWeakTable<IOperation, HashSet<IOperation>> AsynchronousIndex = new();

    /// <summary>
    /// A task some call returns, or a task held in a variable, handed on to be awaited (not one made complete on the
    /// spot), possibly wrapped: <c>new ValueTask(ReadAsync())</c>.
    /// </summary>
    private static bool ProducesPendingTask(IOperation value, TaskCatalogue tasks)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        if (value is IInvocationOperation invocation && tasks.IsTaskLike(invocation.Type) && !tasks.CompletedByConstruction.Contains(invocation.TargetMethod))
            return true;
        if (value is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation && tasks.IsTaskLike(value.Type))
            return true;
        return value is IObjectCreationOperation { Arguments.Length: > 0 } creation && tasks.IsTaskLike(creation.Type)
            && creation.Arguments[0].Value is IInvocationOperation inner && tasks.IsTaskLike(inner.Type);
    }

    private static bool FollowingIsAsynchronous(IBlockOperation block, int index, TaskCatalogue tasks)
    {
        for (int i = index + 1; i < block.Operations.Length; i++)
        {
            if (IsAsynchronousPath(block.Operations[i], tasks))
                return true;
        }

        return false;
    }

    private static int IndexOf(IBlockOperation block, IOperation child)
    {
        for (int i = 0; i < block.Operations.Length; i++)
        {
            if (block.Operations[i] == child)
                return i;
        }

        return -1;
    }
}
