using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor LockOrderCycle = Create(
        DiagnosticIds.LockOrderCycle,
        title: "Take locks in one consistent order",
        message: "Lock order cycle: {0}; take these locks in one order everywhere, or together with 'Locks.AcquireInOrder'",
        Categories.Deadlock,
        RuleLevel.Warning,
        description: "Two threads that take the same locks in opposite orders can each hold the lock the other waits for, and both wait forever. The order is taken from nested acquisitions and from calls made while a lock is held, at any depth and across types; a field of a type is one lock for every instance, as in Linux lockdep. Take the locks in the same order everywhere, or take them together with Locks.AcquireInOrder. Reported in builds and with full-solution analysis.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor ArgumentDependentLockOrder = Create(
        DiagnosticIds.ArgumentDependentLockOrder,
        title: "Do not let the arguments decide the lock order",
        message: "'{0}' locks '{1}' and then '{2}', so its callers decide the lock order and {3} at the same time can deadlock; order the two by a stable key before locking, or take both with 'Locks.AcquireInOrder'",
        Categories.Deadlock,
        RuleLevel.Warning,
        description: "A method that locks one argument and then another of the same type, like Transfer(from, to), takes the locks in the order its callers pass them: Transfer(a, b) on one thread and Transfer(b, a) on another each hold the lock the other waits for. Order the two by a stable key (an Id) before locking, or take both with Locks.AcquireInOrder. Reported in builds and with full-solution analysis.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor LockOrderContradictsDeclaredOrder = Create(
        DiagnosticIds.LockOrderContradictsDeclaredOrder,
        title: "Take locks in their declared order",
        message: "'{0}' is taken while '{1}' is held in {2}, against the declared order ({3}); take '{0}' before '{1}', or change the declaration",
        Categories.Deadlock,
        RuleLevel.Warning,
        description: "[AcquiredBefore], [AcquiredAfter] and the ranks of OrderedLock state the order in which locks must be taken. An acquisition that goes the other way, directly or through calls, can deadlock with the code that follows the contract, and the runtime validator throws or reports at that point. Take the locks in the declared order. Reported in builds and with full-solution analysis.",
        isCompilationEnd: true);
}
