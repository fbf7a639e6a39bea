namespace Lockstep.Analyzers;

/// <summary>How loud a rule is by default; <see cref="Descriptors"/> maps it to severity and enablement.</summary>
public enum RuleLevel
{
    /// <summary>No known false positives: a warning, meant to stay on in CI.</summary>
    Warning,

    /// <summary>Useful but with known false positives: an info diagnostic.</summary>
    Suggestion,

    /// <summary>Opt-in through bulk configuration: hidden by default.</summary>
    Hidden,

    /// <summary>Off unless enabled explicitly.</summary>
    Disabled,
}
