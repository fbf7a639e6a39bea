using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>One race the model found, ready for a rule to report.</summary>
internal sealed class RaceFinding
{
    public RaceFinding(AccessFact access, string origin, bool isLockedElsewhere, bool isEvident)
    {
        Access = access;
        Origin = origin;
        IsLockedElsewhere = isLockedElsewhere;
        IsEvident = isEvident;
    }

    /// <summary>
    /// The code itself shows the location is shared between threads, so the finding is reported at the rule's default
    /// level; otherwise it is a suggestion (Info), because the concurrency was inferred through calls from work started
    /// deep into other types, which on real code is right far less often. Evident: the access is within two calls of the
    /// started code, or in the type that starts the work; or the location is <c>volatile</c>, updated atomically or
    /// under a lock elsewhere (its author treats it as shared); or a lazy initialisation creates something disposable
    /// (the losing thread's copy leaks).
    /// </summary>
    public bool IsEvident { get; }

    /// <summary>The severity to report with: the descriptor's default when evident, Info otherwise.</summary>
    public DiagnosticSeverity Severity(DiagnosticDescriptor descriptor) => IsEvident ? descriptor.DefaultSeverity : DiagnosticSeverity.Info;

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
