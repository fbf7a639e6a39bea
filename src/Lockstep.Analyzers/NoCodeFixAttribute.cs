using System;

namespace Lockstep.Analyzers;

/// <summary>
/// Marks an analyzer whose diagnostics deliberately have no code fix, with the reason; a convention test requires
/// every analyzer to have either a fixer for each of its IDs or this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NoCodeFixAttribute : Attribute
{
    public NoCodeFixAttribute(string reason) => Reason = reason;

    public string Reason { get; }
}
