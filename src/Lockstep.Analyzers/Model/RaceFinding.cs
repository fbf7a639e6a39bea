using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>One race the model found, ready for a rule to report.</summary>
internal sealed class RaceFinding
{
    public RaceFinding(AccessFact access, string origin)
    {
        Access = access;
        Origin = origin;
    }

    public AccessFact Access { get; }

    /// <summary>Where the concurrency comes from: <c>threads started at line 14</c>.</summary>
    public string Origin { get; }

    public Location Location => Access.Operation.Syntax.GetLocation();
}
