using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Per-type facts for the lock-discipline rules (LS1004, LS1005), gathered by operation actions inside a symbol-start
/// action on the type: every field/property access with the locks held at it, and every call to a method of the type
/// with the locks held at the call. A private method whose every call site holds a lock runs with that lock held.
/// </summary>
internal sealed class TypeLockFacts
{
    private readonly ConcurrentBag<MemberAccess> _accesses = new();
    private readonly ConcurrentBag<CallSite> _calls = new();

    public void RecordAccess(IOperation reference, ISymbol member, ISymbol containingMember)
    {
        bool isWrite = IsWrite(reference, out bool isAtomic);
        _accesses.Add(new MemberAccess(reference, member.OriginalDefinition, containingMember, HeldLocks.At(reference), isWrite, isAtomic, Lockstep.Analyzers.Internal.OperationTree.IsInNestedFunction(reference)));
    }

    public void RecordCall(IOperation call, IMethodSymbol target, ISymbol containingMember) =>
        _calls.Add(new CallSite(call, target.OriginalDefinition, containingMember, HeldLocks.At(call), Lockstep.Analyzers.Internal.OperationTree.IsInNestedFunction(call)));

    public IReadOnlyCollection<MemberAccess> Accesses => _accesses;

    public IReadOnlyCollection<CallSite> Calls => _calls;

    /// <summary>
    /// The locks a member of the type always runs under: for private methods, the locks held at every one of their
    /// call sites in the type (followed through other such methods); nothing for members others can call.
    /// </summary>
    public Dictionary<ISymbol, ImmutableHashSet<LockIdentity>> ImpliedLocks(System.Func<ISymbol, ImmutableHashSet<LockIdentity>>? declared = null)
    {
        var implied = new Dictionary<ISymbol, ImmutableHashSet<LockIdentity>>(SymbolEqualityComparer.Default);
        var sitesByTarget = _calls.GroupBy(c => c.Target, SymbolEqualityComparer.Default).ToDictionary(g => (ISymbol)g.Key!, g => g.ToList(), SymbolEqualityComparer.Default);

        ImmutableHashSet<LockIdentity> LocksOf(ISymbol member) =>
            (implied.TryGetValue(member, out var known) ? known : ImmutableHashSet<LockIdentity>.Empty)
                .Union(declared?.Invoke(member) ?? ImmutableHashSet<LockIdentity>.Empty);

        // Iterate to a fixed point: a private helper called only from another locked helper is locked too.
        for (int round = 0; round < 8; round++)
        {
            bool changed = false;
            foreach (var pair in sitesByTarget)
            {
                if (pair.Key is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } method)
                    continue;

                ImmutableHashSet<LockIdentity>? common = null;
                foreach (var site in pair.Value)
                {
                    var atSite = site.IsInNestedFunction ? site.Locks.ToImmutableHashSet() : LocksOf(site.ContainingMember).Union(site.Locks);
                    common = common is null ? atSite : common.Intersect(atSite);
                }

                common ??= ImmutableHashSet<LockIdentity>.Empty;
                if (!implied.TryGetValue(method, out var before) || !before.SetEquals(common))
                {
                    implied[method] = common;
                    changed = true;
                }
            }

            if (!changed)
                break;
        }

        return implied;
    }

    private static bool IsWrite(IOperation reference, out bool isAtomic)
    {
        isAtomic = false;
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
            case IIncrementOrDecrementOperation:
                return true;
            case IArgumentOperation when Lockstep.Analyzers.Internal.ByReferenceAccess.Classify(reference, out bool writable, out isAtomic):
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

    internal sealed class CallSite
    {
        public CallSite(IOperation operation, IMethodSymbol target, ISymbol containingMember, ImmutableArray<LockIdentity> locks, bool isInNestedFunction)
        {
            IsInNestedFunction = isInNestedFunction;
            Operation = operation;
            Target = target;
            ContainingMember = containingMember;
            Locks = locks;
        }

        public IOperation Operation { get; }
        public IMethodSymbol Target { get; }
        public ISymbol ContainingMember { get; }
        public ImmutableArray<LockIdentity> Locks { get; }
        public bool IsInNestedFunction { get; }
    }

    /// <summary>Locks at an access: its own, plus those its member always runs under (unless it sits in a nested function).</summary>
    public static ImmutableHashSet<LockIdentity> EffectiveLocks(MemberAccess access, Dictionary<ISymbol, ImmutableHashSet<LockIdentity>> implied, System.Func<ISymbol, ImmutableHashSet<LockIdentity>>? declared = null)
    {
        var locks = access.Locks.ToImmutableHashSet();
        if (access.IsInNestedFunction)
            return locks;
        if (implied.TryGetValue(access.ContainingMember, out var always))
            locks = locks.Union(always);
        if (declared is not null)
            locks = locks.Union(declared(access.ContainingMember));
        return locks;
    }
}
