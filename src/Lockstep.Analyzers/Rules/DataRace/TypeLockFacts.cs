using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// Per-type facts for the lock-discipline rules (LS1004, LS1005), gathered by operation actions inside a symbol-start
/// action on the type: every access to a member the rule watches, with the locks held at it in its own function. The
/// locks its member always runs under (held by every caller of a private helper, or declared with [RequiresLock]) come
/// from the engine's summaries.
/// </summary>
internal sealed class TypeLockFacts
{
    private readonly LockCatalogue _locks;
    private readonly AtomicCatalogue _atomics;
    private readonly ConcurrentBag<MemberAccess> _accesses = new();

    public TypeLockFacts(ConcurrencyCatalogue catalogue)
    {
        _locks = catalogue.Locks;
        _atomics = catalogue.Atomics;
    }

    public void RecordAccess(IOperation reference, ISymbol member, ISymbol containingMember)
    {
        bool isWrite = IsWrite(reference, out bool isAtomic);
        _accesses.Add(new MemberAccess(reference, member.OriginalDefinition, containingMember, HeldLocks.At(reference, _locks), isWrite, isAtomic, OperationTree.IsInNestedFunction(reference)));
    }

    public IReadOnlyCollection<MemberAccess> Accesses => _accesses;

    /// <summary>
    /// Locks at an access: its own, plus those its member always runs under (unless it sits in a lambda or local
    /// function, which may run at another time).
    /// </summary>
    public static ImmutableHashSet<LockIdentity> EffectiveLocks(MemberAccess access, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var locks = access.Locks.ToImmutableHashSet();
        if (access.IsInNestedFunction || access.ContainingMember is not IMethodSymbol member)
            return locks;
        return locks.Union(summaries.EntryLocks(member, cancellationToken));
    }

    private bool IsWrite(IOperation reference, out bool isAtomic)
    {
        isAtomic = false;
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
            case IIncrementOrDecrementOperation:
                return true;
            case IArgumentOperation when ByReferenceAccess.Classify(reference, _atomics, out bool writable, out isAtomic):
                return writable;
            default:
                return false;
        }
    }

    internal sealed class MemberAccess
    {
        public MemberAccess(IOperation operation, ISymbol member, ISymbol containingMember, ImmutableArray<LockIdentity> locks, bool isWrite, bool isAtomic, bool isInNestedFunction)
        {
            IsInNestedFunction = isInNestedFunction;
            Operation = operation;
            Member = member;
            ContainingMember = containingMember;
            Locks = locks;
            IsWrite = isWrite;
            IsAtomic = isAtomic;
        }

        public IOperation Operation { get; }
        public ISymbol Member { get; }
        public ISymbol ContainingMember { get; }
        public ImmutableArray<LockIdentity> Locks { get; }
        public bool IsWrite { get; }
        public bool IsAtomic { get; }
        public bool IsInNestedFunction { get; }
    }
}
