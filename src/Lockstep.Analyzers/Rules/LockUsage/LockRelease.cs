using System.Collections.Generic;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// Whether an explicit lock acquisition is released on every path, exceptions included (LS5001). C# try/finally is
/// structured, so the question is answered on the operation tree: the acquisition must be followed directly by a
/// <c>try</c> whose <c>finally</c> releases the same lock on every path through the <c>finally</c> — unconditionally,
/// or under the flag the acquisition sets (<c>lockTaken</c>, <c>bool got = sem.Wait(t)</c>). Every other shape
/// (release after the protected code, release on some paths only, early returns before it) leaves the lock held when
/// an exception or a return skips the release.
/// </summary>
internal static class LockRelease
{
    /// <summary>An explicit acquisition by a call (Monitor.Enter, sem.Wait, mutex.WaitOne…), the lock it takes and its lockTaken flag.</summary>
    public static bool IsAcquisition(IInvocationOperation invocation, LockCatalogue catalogue, out LockCall call, out LockIdentity identity)
    {
        identity = default;
        return catalogue.IsAcquisition(invocation, out call) && HeldLocks.TryIdentify(call.Subject, call.Mode, out identity);
    }

    /// <summary>Why the acquisition is not safe, phrased for the message; <see langword="null"/> when it is released on every path.</summary>
    public static string? FindProblem(LockCall call, LockIdentity identity, LockCatalogue catalogue)
    {
        var acquisition = call.Invocation;
        var takenFlag = call.TakenFlag;
        var function = OperationTree.FunctionRoot(acquisition);
        bool releasedAnywhere = function.DescendantsAndSelf().Any(o => IsReleaseOf(o, identity, catalogue));

        // A semaphore waited on and never released here is a signal (producer/consumer), not a lock.
        if (!releasedAnywhere && call.IsSemaphore)
            return null;

        // A method that takes the lock and hands it to its caller (an Enter/Lock wrapper, or one that returns a scope
        // whose Dispose releases it) is not where the release belongs: its callers are.
        if (!releasedAnywhere && HandsOverTheLock(acquisition, function))
            return null;

        var (statement, flag, guardedBody) = Shape(acquisition, takenFlag, catalogue);
        if (guardedBody is not null)
            return StartsWithProtectingTry(guardedBody, identity, flag, catalogue) ? null : Missing(releasedAnywhere);

        if (statement?.Parent is not IBlockOperation block)
            return Missing(releasedAnywhere);

        // try { Monitor.Enter(o, ref taken); … } finally { if (taken) Monitor.Exit(o); }
        if (takenFlag is not null && block.Parent is ITryOperation enclosing && enclosing.Body == block)
        {
            if (enclosing.Finally is null || !ReleasesOnEveryPath(enclosing.Finally, identity, takenFlag, catalogue))
                return Missing(releasedAnywhere);
            return ReleasesUnconditionally(enclosing.Finally, identity, catalogue)
                ? "releases it in the finally block even when the acquisition did not take it (check the lockTaken flag)"
                : null;
        }

        int index = block.Operations.IndexOf(statement);
        var next = index + 1 < block.Operations.Length ? block.Operations[index + 1] : null;
        return next is ITryOperation { Finally: { } finallyBlock } && ReleasesOnEveryPath(finallyBlock, identity, flag, catalogue)
            ? null
            : Missing(releasedAnywhere);
    }

    /// <summary>
    /// The lock outlives the method on purpose: the method returns (or passes out) a disposable scope, or the
    /// acquisition is the last statement of the method body, so acquiring is all the method is for.
    /// </summary>
    private static bool HandsOverTheLock(IInvocationOperation acquisition, IOperation function)
    {
        var method = function switch
        {
            IMethodBodyOperation or IBlockOperation when acquisition.SemanticModel?.GetEnclosingSymbol(acquisition.Syntax.SpanStart) is IMethodSymbol enclosing => enclosing,
            ILocalFunctionOperation local => local.Symbol,
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            _ => null,
        };
        if (method is null)
            return false;

        if (LockCatalogue.IsDisposable(method.ReturnType) || method.Parameters.Any(p => p.RefKind == RefKind.Out && LockCatalogue.IsDisposable(p.Type)))
            return true;

        var body = function switch
        {
            IMethodBodyOperation methodBody => methodBody.BlockBody ?? methodBody.ExpressionBody,
            ILocalFunctionOperation local => local.Body,
            IAnonymousFunctionOperation lambda => lambda.Body,
            _ => function as IBlockOperation,
        };
        return body is not null && NothingFollows(acquisition, body);
    }

    /// <summary>
    /// Whether the method ends right after the acquisition on its path: every enclosing block, switch section or branch
    /// has nothing after it but <c>break</c> or a bare <c>return</c> (<c>switch (kind) { … default: Monitor.Enter(o); break; }</c>).
    /// </summary>
    private static bool NothingFollows(IOperation acquisition, IBlockOperation body)
    {
        IOperation current = acquisition;
        while (current != body)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return false;
                case IBlockOperation block when !OnlyExitsAfter(block.Operations, current):
                    return false;
                case ISwitchCaseOperation section when !OnlyExitsAfter(section.Body, current):
                    return false;
                case IBlockOperation or ISwitchCaseOperation or ISwitchOperation or IConditionalOperation or IExpressionStatementOperation
                    or IAwaitOperation or IConversionOperation or IReturnOperation:
                    break;
                default:
                    return false;
            }

            current = parent;
        }

        return true;
    }

    private static bool OnlyExitsAfter(System.Collections.Immutable.ImmutableArray<IOperation> statements, IOperation statement) =>
        statements.SkipWhile(o => o != statement).Skip(1)
            .All(o => o is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation { ReturnedValue: null });

    private static string Missing(bool releasedAnywhere) =>
        releasedAnywhere ? "an exception or an early return can skip the release" : "never releases it in this method";

    /// <summary>
    /// The statement the acquisition belongs to and the flag that says it succeeded; for <c>if (TryEnter(…)) { … }</c>
    /// the guarded body instead, which must itself open with the protecting try.
    /// </summary>
    private static (IOperation? Statement, ISymbol? Flag, IOperation? GuardedBody) Shape(IInvocationOperation acquisition, ISymbol? takenFlag, LockCatalogue catalogue)
    {
        var current = AwaitedFrom(acquisition, catalogue);

        switch (current.Parent)
        {
            case IExpressionStatementOperation statement:
                return (statement, takenFlag, null);

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                IOperation? group = declarator;
                while (group is not null && group is not IVariableDeclarationGroupOperation)
                    group = group.Parent;
                return (group, declarator.Symbol, null);

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Parent: IConditionalOperation { WhenFalse: null, WhenTrue: { } exit } negated } when OperationTree.AlwaysExits(exit):
                return (negated, takenFlag, null); // if (!sem.Wait(t)) return; try { … } finally { … }

            case IConditionalOperation { WhenTrue: { } body } conditional when conditional.Condition == current:
                return (null, takenFlag, body); // if (sem.Wait(t)) { try { … } finally { … } }

            default:
                return (null, takenFlag, null);
        }
    }

    private static bool StartsWithProtectingTry(IOperation body, LockIdentity identity, ISymbol? flag, LockCatalogue catalogue)
    {
        var first = body is IBlockOperation block ? block.Operations.FirstOrDefault() : body;
        return first is ITryOperation { Finally: { } finallyBlock } && ReleasesOnEveryPath(finallyBlock, identity, flag, catalogue);
    }

    /// <summary>The outermost expression the acquisition's value flows through: <c>await sem.WaitAsync().ConfigureAwait(false)</c> for <c>WaitAsync()</c>.</summary>
    private static IOperation AwaitedFrom(IInvocationOperation acquisition, LockCatalogue catalogue)
    {
        IOperation current = acquisition;
        while (current.Parent is IAwaitOperation or IConversionOperation or IParenthesizedOperation
            || current.Parent is IInvocationOperation configure && configure.Instance == current && catalogue.Tasks.IsConfigureAwait(configure))
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>
    /// Every path through the finally block passes a release: a release statement at its top level, or one inside
    /// <c>if (flag)</c> where the flag records that the acquisition succeeded (its false path holds no lock).
    /// </summary>
    private static bool ReleasesOnEveryPath(IBlockOperation finallyBlock, LockIdentity identity, ISymbol? flag, LockCatalogue catalogue)
    {
        foreach (var statement in finallyBlock.Operations)
        {
            if (HeldLocks.Release(statement, catalogue, out var released) && released.Equals(identity))
                return true;

            if (flag is not null
                && statement is IConditionalOperation { WhenFalse: null } conditional
                && References(conditional.Condition, flag)
                && conditional.WhenTrue.DescendantsAndSelf().Any(o => IsReleaseOf(o, identity, catalogue)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReleasesUnconditionally(IBlockOperation finallyBlock, LockIdentity identity, LockCatalogue catalogue) =>
        finallyBlock.Operations.Any(s => HeldLocks.Release(s, catalogue, out var released) && released.Equals(identity));

    public static bool IsReleaseOf(IOperation operation, LockIdentity identity, LockCatalogue catalogue) =>
        operation is IExpressionStatementOperation && HeldLocks.Release(operation, catalogue, out var released) && released.Equals(identity);

    private static bool References(IOperation condition, ISymbol flag) =>
        condition.DescendantsAndSelf().Any(o =>
            (o is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, flag))
            || (o is IFieldReferenceOperation field && SymbolEqualityComparer.Default.Equals(field.Field, flag)));

    /// <summary>
    /// The acquisition is a plain statement (or <c>if (!sem.Wait(t)) return;</c>), followed later in its block by the single
    /// release of the lock in the function, with no await in between when the pair becomes a lock statement: the code
    /// between becomes the protected region. An acquisition that reports through a flag (<c>Enter(ref taken)</c>) moves
    /// into the <c>try</c> and its release runs only <c>if (taken)</c>: an exception inside the acquisition then releases
    /// nothing it did not take.
    /// </summary>
    public static bool CanWrapInTryFinally(IInvocationOperation acquisition, LockIdentity identity, LockCatalogue catalogue) =>
        PairedRelease(acquisition, identity, catalogue) is not null;

    /// <summary>A Monitor.Enter(x) … Monitor.Exit(x) pair in one block becomes <c>lock (x) { … }</c>.</summary>
    public static bool CanBecomeLockStatement(IInvocationOperation acquisition, LockIdentity identity, LockCatalogue catalogue) =>
        catalogue.IsPlainMonitorEnter(acquisition)
        && acquisition.Parent is IExpressionStatementOperation
        && PairedRelease(acquisition, identity, catalogue) is { } release
        && !Between(acquisition, release).Any(o => o.DescendantsAndSelf().Any(d => d is IAwaitOperation));

    /// <summary>
    /// <c>try { Monitor.Enter(o, ref taken); … } finally { Monitor.Exit(o); }</c>: the finally releases even when the
    /// acquisition took nothing; the repair puts the release under <c>if (taken)</c>. Only for a release that is a
    /// statement of the finally block itself, the only one of the lock there.
    /// </summary>
    public static bool CanReleaseOnlyIfTaken(LockCall call, LockIdentity identity, LockCatalogue catalogue)
    {
        if (call.TakenFlag is not ILocalSymbol || call.Invocation.Parent is not IExpressionStatementOperation { Parent: IBlockOperation block }
            || block.Parent is not ITryOperation { Finally: { } finallyBlock } enclosing || enclosing.Body != block)
        {
            return false;
        }

        return finallyBlock.Operations.Count(s => HeldLocks.Release(s, catalogue, out var released) && released.Equals(identity)) == 1
            && finallyBlock.DescendantsAndSelf().Count(o => IsReleaseOf(o, identity, catalogue)) == 1;
    }

    /// <summary>The statement that acquires: the expression statement, or <c>if (!acquire) exit;</c>.</summary>
    public static IOperation? AcquiringStatement(IInvocationOperation acquisition, LockCatalogue catalogue)
    {
        var current = AwaitedFrom(acquisition, catalogue);
        return current.Parent switch
        {
            IExpressionStatementOperation statement => statement,
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Parent: IConditionalOperation { WhenFalse: null, WhenTrue: { } exit } negated }
                when negated.Condition == current.Parent && OperationTree.AlwaysExits(exit) => negated,
            _ => null,
        };
    }

    private static IOperation? PairedRelease(IInvocationOperation acquisition, LockIdentity identity, LockCatalogue catalogue)
    {
        if (AcquiringStatement(acquisition, catalogue) is not { Parent: IBlockOperation block } statement)
            return null;

        // A flag passed by reference must be a local, so the finally can test it; the acquisition then moves into the try.
        if (acquisition.Arguments.Any(a => a.Parameter?.RefKind == RefKind.Ref && a.Value is not ILocalReferenceOperation)
            || (statement is IConditionalOperation && acquisition.Arguments.Any(a => a.Parameter?.RefKind == RefKind.Ref)))
        {
            return null;
        }

        var releases = OperationTree.FunctionRoot(acquisition).DescendantsAndSelf().Where(o => IsReleaseOf(o, identity, catalogue)).ToList();
        if (releases.Count != 1 || releases[0].Parent != block)
            return null;

        int from = block.Operations.IndexOf(statement);
        int to = block.Operations.IndexOf(releases[0]);
        return to > from ? releases[0] : null;
    }

    private static IEnumerable<IOperation> Between(IInvocationOperation acquisition, IOperation release)
    {
        var block = (IBlockOperation)release.Parent!;
        int from = block.Operations.IndexOf(acquisition.Parent!); // Monitor.Enter is never awaited
        int to = block.Operations.IndexOf(release);
        return block.Operations.Skip(from + 1).Take(to - from - 1);
    }
}
