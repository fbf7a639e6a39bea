using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>One race the model found, ready for a rule to report.</summary>
internal sealed class RaceFinding
{
    public RaceFinding(AccessFact access, string origin, bool isLockedElsewhere)
    {
        Access = access;
        Origin = origin;
        IsLockedElsewhere = isLockedElsewhere;
    }

    /// <summary>
    /// Other writes of the location hold a lock. An Interlocked repair would then race with those locked
    /// read-modify-writes (the two are not atomic with respect to each other), so the repair must take the lock too.
    /// </summary>
    public bool IsLockedElsewhere { get; }

    public AccessFact Access { get; }

    /// <summary>Where the concurrency comes from: <c>threads started at line 14</c>.</summary>
    public string Origin { get; }

    public Location Location => Access.Operation.Syntax.GetLocation();
}
