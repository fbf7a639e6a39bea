using System;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Opt-outs from parts of the code-fix verification.</summary>
[Flags]
public enum CodeFixTestBehaviors
{
    None = 0,

    /// <summary>Skip Fix All in every scope (for a fixer that deliberately has no Fix All provider).</summary>
    SkipFixAllCheck = SkipFixAllInDocumentCheck | SkipFixAllInProjectCheck,

    /// <summary>Skip Fix All in document scope.</summary>
    SkipFixAllInDocumentCheck = 1,

    /// <summary>Skip Fix All in project scope.</summary>
    SkipFixAllInProjectCheck = 2,
}
