using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Lockstep.Analyzers.Rules.AsyncBlocking;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// Which LS5002 repair keeps what the locked code computes. The lock serialises the state it guards; the repair may take
/// out of the lock only what touches none of that state and whose order the lock does not provide, and it never leaves
/// an empty lock behind:
/// <list type="bullet">
/// <item><description>Under an <c>AsyncLock</c> or a <c>SemaphoreSlim</c> in async code, the call is awaited instead
/// (<c>Task.Delay</c>, <c>await t</c>, <c>ReadAllTextAsync</c>…): the lock stays held for exactly the same work, so
/// writes to a shared file stay serialised, and no thread blocks while it is held.</description></item>
/// <item><description>A <c>Thread.Sleep</c> statement of the locked block, or of an if/else branch in it, moves in front of
/// the lock: a delay computes nothing, so the guarded statements run in the same order on the same state, only without
/// the other threads waiting through the delay (a sleep from a branch then runs whichever branch is taken).</description></item>
/// <item><description>A wait for other work (a task, a thread, an event, a call that only sleeps or waits) moves in front
/// of the lock when it is the block's first statement: nothing the block does is then moved across it, and the work it
/// waits for could already have finished before the lock was taken.</description></item>
/// <item><description>Synchronous I/O (files, streams, sockets, the console) never moves: the lock may be what keeps the
/// writes to one file in order or the reads of one socket whole.</description></item>
/// </list>
/// A moved statement may not use the type's state (fields, <c>this</c>) nor locals of the locked block, and only one lock
/// region may be held there (moving out of an inner lock would still block under the outer one). A lock whose block has
/// nothing left goes with it.
/// </summary>
internal static class BlockingUnderLockFixes
{
    public static ImmutableDictionary<string, string?> Choose(IOperation operation, BlockingCall? direct, Reached<BlockingFact>? reached, ISymbol containingSymbol, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var catalogue = summaries.Index.Catalogue;
        var held = HeldLocks.SitesAt(operation, catalogue.Locks);
        var properties = FixProperties.None;

        if (AsyncContext.TryFind(operation, containingSymbol, out _) && AsyncContext.CanInsertAwait(operation.Syntax) && held.All(h => IsAsyncLock(h, catalogue)))
        {
            if (direct is { Fix: not (AwaitFixKind.None or AwaitFixKind.Offload) } awaitable)
                return FixProperties.BlockingUnderLockFix.Set(FixProperties.AwaitFix.Set(properties, awaitable.Fix), BlockingUnderLockFixKind.Await);

            if (direct is null && operation is IInvocationOperation invocation && catalogue.Blocking.FindAsyncCounterpart(invocation.TargetMethod) is { } counterpart)
                return FixProperties.BlockingUnderLockFix.Set(FixProperties.AsyncCounterpart.Set(properties, counterpart.Name), BlockingUnderLockFixKind.Await);
        }

        // One region must hold every lock held here (AcquireInOrder takes several at once): leaving an inner region would
        // still block under an outer one.
        return !held.IsEmpty && held.All(h => h.Acquisition.Syntax == held[0].Acquisition.Syntax)
            && IsMovableBeforeLock(operation, direct, reached, held[0], summaries, cancellationToken)
            ? FixProperties.BlockingUnderLockFix.Set(properties, BlockingUnderLockFixKind.MoveBeforeLock)
            : properties;
    }

    /// <summary>Locks that may be held across an await: the runtime library's AsyncLock scope and a SemaphoreSlim.</summary>
    private static bool IsAsyncLock(HeldLock held, ConcurrencyCatalogue catalogue)
    {
        var receiver = held.Acquisition is IInvocationOperation { Instance: { } instance } ? instance.Type : null;
        return KnownTypes.Is(receiver, catalogue.Types.AsyncLock) || KnownTypes.Is(receiver, catalogue.Types.SemaphoreSlim);
    }

    private static bool IsMovableBeforeLock(IOperation operation, BlockingCall? direct, Reached<BlockingFact>? reached, HeldLock held, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (MovedStatement(operation) is not { Syntax: StatementSyntax statement }
            || LockRegion.Enclosing(statement, out bool isDirect) is not { } region
            || !region.IsOpenedBy(held.Acquisition.Syntax)
            || UsesStateOrBlockLocals(operation, region))
        {
            return false;
        }

        // Inside an if/else branch of the locked block only a sleep moves: it then runs whichever branch is taken, which
        // changes only the timing.
        if (!isDirect)
            return direct is { Kind: BlockingKind.Sleep, DisplayName: "Thread.Sleep" } && statement is ExpressionStatementSyntax;

        // return t.Result; ends the block: it moves only when it is all the block holds.
        if (statement is ReturnStatementSyntax && region.Body.Statements.Count != 1)
            return false;

        bool isFirst = region.Body.Statements.Count > 0 && region.Body.Statements[0] == statement;
        if (direct is { } call)
        {
            if (call.Kind == BlockingKind.Sleep)
                return call.DisplayName == "Thread.Sleep"; // SpinUntil's condition reads state: it is a wait, not a delay
            return isFirst;
        }

        // Through a call of the compilation: it must only block (sleep or wait), never touch state without a lock.
        if (reached is null || !isFirst)
            return false;

        foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, cancellationToken))
        {
            var reach = summaries.Reach(callee, Offloading.UnsynchronisedSharedAccess, cancellationToken);
            if (!reach.IsEmpty || reach.Exhausted)
                return false;
        }

        return true;
    }

    /// <summary>
    /// The statement that moves: the blocking expression as a whole statement (<c>Thread.Sleep(1);</c>,
    /// <c>_ = t.Result;</c>), or <c>return t.Result;</c>.
    /// </summary>
    public static IOperation? MovedStatement(IOperation operation) => operation.Parent switch
    {
        IExpressionStatementOperation statement => statement,
        ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation statement } => statement,
        IReturnOperation statement when statement.ReturnedValue == operation => statement,
        IConversionOperation { IsImplicit: true, Parent: IReturnOperation statement } => statement,
        _ => null,
    };

    /// <summary>A moved statement may read neither the type's state nor locals declared in the locked block (they would be out of scope).</summary>
    private static bool UsesStateOrBlockLocals(IOperation operation, LockRegion region) =>
        operation.DescendantsAndSelf().Any(o => o is IFieldReferenceOperation or IInstanceReferenceOperation
            || o is IPropertyReferenceOperation { Property.IsStatic: false, Instance: IInstanceReferenceOperation }
            || o is IPropertyReferenceOperation { Property.IsStatic: true }
            || o is ILocalReferenceOperation local && local.Local.DeclaringSyntaxReferences.Any(r => region.Body.Span.Contains(r.Span)));
}
