using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor UnknownLockName = Create(
        DiagnosticIds.UnknownLockName,
        title: "Name an existing lock in a lock contract",
        message: "[{0}] on '{1}' names '{2}', which is not a field or property of '{3}'; name a lock field or property of '{3}' with nameof, or \"this\"",
        Categories.Usage,
        RuleLevel.Warning,
        description: "[GuardedBy], [RequiresLock], [AcquiredBefore] and [AcquiredAfter] name their locks by the name of a field or property of the annotated member's type, or \"this\". A name that matches none (a typo in a string, a lock since renamed) makes the contract check nothing: the accesses, calls and orders it should guard are not verified. Write the name with nameof so that the compiler checks it.");
}
