using System.Collections.Generic;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

        // Re-acquiring a lock the method gave up earlier (the caller holds it: Release(); try { await … } finally
        // { await WaitAsync(); }) restores the caller's state; the caller releases it.
        if (IsReleasedBefore(acquisition, identity, function, catalogue))
            return null;

        // Hand-over-hand through a variable: the acquired object is copied into another variable (lastBox = box)
        // and released through that one later; the pairing is not visible by name.
        if (IsCopiedToAnotherVariable(call.Subject, function))
            return null;

        var (statement, flag, guardedBody) = Shape(acquisition, takenFlag, catalogue);
        if (guardedBody is not null)
            return StartsWithProtectingTry(guardedBody, identity, flag, catalogue) ? null : Missing(releasedAnywhere);

        // try { Monitor.Enter(o, ref taken); … } finally { if (taken) Monitor.Exit(o); }, at any depth of the try body,
        // and the same with a flag set from the acquisition or right after it: taken = Monitor.TryEnter(o);
        // await sem.WaitAsync(); acquired = true;
        flag ??= AssignedFlag(acquisition, catalogue);
        if (EnclosingProtectingTry(acquisition, function, identity, flag, catalogue) is { } enclosing)
        {
            return takenFlag is not null && ReleasesUnconditionally(enclosing.Finally!, identity, catalogue)
                ? "releases it in the finally block even when the acquisition did not take it (check the lockTaken flag)"
                : null;
        }

        if (statement is null)
            return Missing(releasedAnywhere);

        return ProtectingTryFollows(statement, function, identity, flag, catalogue) ? null : Missing(releasedAnywhere);
    }

    /// <summary>
    /// Whether, from the acquisition's statement on, execution reaches a try whose finally releases the lock before it
    /// runs anything that can fail: only statements that cannot throw in practice come between (a release of another
    /// lock, a flag assignment, a copy of a field, an early exit that tests the acquisition's result, a branch that
    /// releases the lock before it leaves). The walk steps out of the blocks around the acquisition (a lock statement,
    /// an if), which is how hand-over-hand locking takes the next lock inside the previous one.
    /// </summary>
    private static bool ProtectingTryFollows(IOperation statement, IOperation function, LockIdentity identity, ISymbol? flag, LockCatalogue catalogue)
    {
        IOperation current = statement;
        for (int depth = 0; depth < 8; depth++)
        {
            if (current.Parent is not IBlockOperation block)
            {
                // The end of a lock, if or using body: carry on after the statement that holds it. So too for a try body
                // whose handlers all leave: if the acquisition itself fails, the handler leaves holding nothing, and its
                // finally (which releases the previous lock of a hand-over-hand chain) cannot fail in practice.
                if ((current.Parent is ILockOperation or IConditionalOperation or IUsingOperation
                        || current.Parent is ITryOperation { Body: var body } tryOperation && body == current && tryOperation.Catches.All(c => OperationTree.AlwaysExits(c.Handler)))
                    && current.Parent.Parent is { } holder)
                {
                    current = holder is IBlockOperation ? current.Parent : holder;
                    continue;
                }

                return false;
            }

            int index = block.Operations.IndexOf(current);
            for (int i = index + 1; i < block.Operations.Length; i++)
            {
                var next = block.Operations[i];
                if (next is ITryOperation { Finally: { } finallyBlock })
                    return ReleasesOnEveryPath(finallyBlock, identity, flag, catalogue);
                if (!CannotFailBeforeTheTry(next, identity, flag, catalogue))
                    return false;
            }

            if (block == function || block.Parent is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                return false;
            current = block;
        }

        return false;
    }

    private static bool CannotFailBeforeTheTry(IOperation statement, LockIdentity identity, ISymbol? flag, LockCatalogue catalogue)
    {
        switch (statement)
        {
            case IExpressionStatementOperation when HeldLocks.Release(statement, catalogue, out _):
                return true; // releasing the previous lock of a hand-over-hand chain
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Value: var value } }:
                return IsSimpleValue(value);
            case IVariableDeclarationGroupOperation group:
                return group.Declarations.SelectMany(d => d.Declarators).All(d => d.Initializer is null || IsSimpleValue(d.Initializer.Value));
            case IConditionalOperation { WhenFalse: null, WhenTrue: { } exit } check when OperationTree.AlwaysExits(exit):
                // if (!acquired) throw new TimeoutException(); — or a branch that gives the lock back before it leaves.
                return flag is not null && References(check.Condition, flag)
                    || exit.DescendantsAndSelf().Any(o => IsReleaseOf(o, identity, catalogue));
            default:
                return false;
        }
    }

    /// <summary>A constant, a local, a parameter, a field or a property of one of those: nothing that runs code that can fail.</summary>
    private static bool IsSimpleValue(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value is ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IDefaultValueOperation
            || value.ConstantValue.HasValue
            || value is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation }
            || value is IPropertyReferenceOperation { Arguments.Length: 0, Instance: null or IInstanceReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation };
    }

    /// <summary>A try around the acquisition (any depth, same function) whose finally releases the lock on every path.</summary>
    private static ITryOperation? EnclosingProtectingTry(IOperation acquisition, IOperation function, LockIdentity identity, ISymbol? flag, LockCatalogue catalogue)
    {
        IOperation child = acquisition;
        for (var parent = acquisition.Parent; parent is not null && child != function; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return null;
            if (parent is ITryOperation { Finally: { } finallyBlock } tryOperation && child == tryOperation.Body
                && ReleasesOnEveryPath(finallyBlock, identity, flag, catalogue))
            {
                return tryOperation;
            }
        }

        return null;
    }

    /// <summary>
    /// The flag that records that the acquisition took the lock, when the code keeps one: the variable the result is
    /// assigned to (<c>taken = Monitor.TryEnter(o)</c>), or one set to true by the statement right after the
    /// acquisition (<c>await sem.WaitAsync(); acquired = true;</c>).
    /// </summary>
    private static ISymbol? AssignedFlag(IInvocationOperation acquisition, LockCatalogue catalogue)
    {
        var current = AwaitedFrom(acquisition, catalogue);
        if (current.Parent is ISimpleAssignmentOperation { Target: var target } && FlagSymbol(target) is { } assigned)
            return assigned;

        if (current.Parent is IExpressionStatementOperation { Parent: IBlockOperation block } statement)
        {
            int index = block.Operations.IndexOf(statement);
            if (index + 1 < block.Operations.Length
                && block.Operations[index + 1] is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true, Value: true } } set })
            {
                return FlagSymbol(set.Target);
            }
        }

        return null;
    }

    private static ISymbol? FlagSymbol(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    /// <summary>A release of the same lock earlier in the function than the acquisition.</summary>
    private static bool IsReleasedBefore(IInvocationOperation acquisition, LockIdentity identity, IOperation function, LockCatalogue catalogue)
    {
        int start = acquisition.Syntax.SpanStart;
        return function.DescendantsAndSelf().Any(o => o.Syntax.SpanStart < start && IsReleaseOf(o, identity, catalogue) && !OperationTree.IsInNestedFunction(o, function));
    }

    /// <summary>The locked value is a local that is also assigned to another variable (hand-over-hand: <c>lastBox = box;</c>).</summary>
    private static bool IsCopiedToAnotherVariable(IOperation? subject, IOperation function)
    {
        while (subject is IConversionOperation conversion)
            subject = conversion.Operand;
        if (subject is not ILocalReferenceOperation { Local: var local })
            return false;

        foreach (var operation in function.DescendantsAndSelf())
        {
            if (operation is ISimpleAssignmentOperation { Value: var value, Target: var target }
                && Unwrapped(value) is ILocalReferenceOperation { Local: var copied } && SymbolEqualityComparer.Default.Equals(copied, local)
                && !(target is ILocalReferenceOperation { Local: var itself } && SymbolEqualityComparer.Default.Equals(itself, local)))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation Unwrapped(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value;
    }


    /// <summary>
    /// The shape a using statement repairs: <c>var s = [await] x.LockAsync(…);</c> alone in its declaration, a later
    /// statement of the same block that is exactly <c>s.Dispose();</c>, and nothing after it (or assigning it in between)
    /// that uses <c>s</c>. The statements between become the using's body, so the release runs at the same place on the
    /// normal path and also on an exception or an early return. Null when the shape does not fit.
    /// </summary>
    public static (LocalDeclarationStatementSyntax Declaration, ExpressionStatementSyntax Dispose)? ScopeUsingShape(IInvocationOperation scopeCall, LockCatalogue catalogue)
    {
        var value = AwaitedFrom(scopeCall, catalogue);
        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            || declarator.Syntax.Parent is not VariableDeclarationSyntax { Variables.Count: 1 }
            || declarator.Syntax.Parent.Parent is not LocalDeclarationStatementSyntax declaration
            || declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || declaration.IsConst
            || declaration.Parent is not BlockSyntax block)
        {
            return null;
        }

        var local = declarator.Symbol;
        int from = block.Statements.IndexOf(declaration);
        ExpressionStatementSyntax? dispose = null;
        for (int i = from + 1; i < block.Statements.Count && dispose is null; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax
                {
                    Expression: InvocationExpressionSyntax
                    {
                        ArgumentList.Arguments.Count: 0,
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose", Expression: IdentifierNameSyntax receiver },
                    },
                } statement
                && receiver.Identifier.ValueText == local.Name)
            {
                dispose = statement;
            }
        }

        if (dispose is null)
            return null;

        // The local must be used only between the two, never written, passed by reference or disposed a second time.
        int to = block.Statements.IndexOf(dispose);
        foreach (var identifier in block.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name || dispose.Span.Contains(identifier.Span) || declaration.Span.Contains(identifier.Span))
                continue;
            bool between = identifier.SpanStart > declaration.Span.End && identifier.SpanStart < dispose.SpanStart;
            bool written = identifier.Parent is AssignmentExpressionSyntax assignment && assignment.Left == identifier
                || identifier.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 };
            bool disposedAgain = identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" };
            if (!between || written || disposedAgain)
                return null;
        }

        if (to > from + 1 && DataRace.RaceFixShapes.DeclaresLocalsUsedAfter(block, block.Statements[from + 1], block.Statements[to - 1]))
            return null;

        return (declaration, dispose);
    }

    /// <summary>
    /// Why a scope of the runtime library's locks (<c>AsyncLock</c>, <c>OrderedLock</c>, <c>Guarded&lt;T&gt;</c>) kept in a
    /// variable instead of a <c>using</c> may leave its lock held; <see langword="null"/> when it is safe or not ours to judge.
    /// Safe: a <c>using</c>, or <c>var s = await l.LockAsync(); try { … } finally { s.Dispose(); }</c>. Not judged: a scope
    /// that leaves the method (returned, passed on, stored in a field), whose release belongs to the code it goes to.
    /// </summary>
    public static string? FindScopeProblem(IInvocationOperation scopeCall, LockCatalogue catalogue)
    {
        var value = AwaitedFrom(scopeCall, catalogue);
        ILocalSymbol local;
        IOperation statement;
        switch (value.Parent)
        {
            case IUsingOperation or IUsingDeclarationOperation:
                return null;
            case IExpressionStatementOperation:
                return "discards the scope that would release it";
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                IOperation? group = declarator;
                while (group is not null and not IVariableDeclarationGroupOperation and not IUsingOperation and not IUsingDeclarationOperation)
                    group = group.Parent;
                if (group is not IVariableDeclarationGroupOperation || group.Parent is IUsingOperation or IUsingDeclarationOperation)
                    return null;
                local = declarator.Symbol;
                statement = group;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Parent: IExpressionStatementOperation assignment }:
                local = target.Local;
                statement = assignment;
                break;
            default:
                return null;
        }

        // Used only as a scope (its Value, Dispose, Wait/Pulse): anything else may carry the lock out of the method.
        var function = OperationTree.FunctionRoot(scopeCall);
        bool disposed = false;
        foreach (var reference in function.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local))
                continue;
            switch (reference.Parent)
            {
                case IInvocationOperation call when call.Instance == reference:
                    disposed |= LockCatalogue.IsDispose(call);
                    break;
                case IPropertyReferenceOperation property when property.Instance == reference:
                case ISimpleAssignmentOperation assignment when assignment.Target == reference && assignment.Parent == statement:
                    break;
                default:
                    return null;
            }
        }

        if (!disposed)
            return Missing(releasedAnywhere: false);

        if (statement.Parent is not IBlockOperation block)
            return Missing(releasedAnywhere: true);

        // Scope s = default; try { s = await l.LockAsync(); … } finally { s.Dispose(); }
        if (block.Parent is ITryOperation { Finally: { } enclosingFinally } enclosing && enclosing.Body == block && DisposesAtTopLevel(enclosingFinally, local))
            return null;

        int index = block.Operations.IndexOf(statement);
        var next = index + 1 < block.Operations.Length ? block.Operations[index + 1] : null;
        return next is ITryOperation { Finally: { } finallyBlock } && DisposesAtTopLevel(finallyBlock, local)
            ? null
            : Missing(releasedAnywhere: true);
    }

    private static bool DisposesAtTopLevel(IBlockOperation finallyBlock, ILocalSymbol local) =>
        finallyBlock.Operations.Any(s => s is IExpressionStatementOperation { Operation: IInvocationOperation { Instance: ILocalReferenceOperation target } call }
            && SymbolEqualityComparer.Default.Equals(target.Local, local) && LockCatalogue.IsDispose(call));

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
            || current.Parent is IInvocationOperation configure && configure.Instance == current && catalogue.Tasks.IsConfigureAwait(configure)
            || current.Parent is IConditionalOperation { IsRef: false } choice && choice.Condition != current && choice.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.IfStatementSyntax)
        {
            // The last case: one of two ways to acquire, var got = async ? await sem.WaitAsync(t) : sem.Wait(t);
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
