using System;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Opt-outs from the extra checks that every analyzer test runs.</summary>
[Flags]
public enum TestBehaviors
{
    None = 0,

    /// <summary>Skip re-running the sources with an <c>// &lt;auto-generated/&gt;</c> header (which must silence the analyzer).</summary>
    SkipGeneratedCodeCheck = 1,

    /// <summary>Skip re-running the sources with <c>#pragma warning disable</c> for every ID (which must silence the analyzer).</summary>
    SkipSuppressionCheck = 2,
}
