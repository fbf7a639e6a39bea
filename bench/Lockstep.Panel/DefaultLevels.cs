using Microsoft.CodeAnalysis;

namespace Lockstep.Panel;

/// <summary>Reading a descriptor's default level.</summary>
public static class DefaultLevels
{
    public static DefaultLevel Of(DiagnosticDescriptor descriptor) =>
        !descriptor.IsEnabledByDefault ? DefaultLevel.Off
        : descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => DefaultLevel.Error,
            DiagnosticSeverity.Warning => DefaultLevel.Warning,
            DiagnosticSeverity.Info => DefaultLevel.Info,
            _ => DefaultLevel.Hidden,
        };

    /// <summary>
    /// The level a finding has without configuration: off for a rule disabled by default (the panel forces those on),
    /// otherwise the severity the analyzer reported it with, which is its rule's default or a lower confidence tier.
    /// </summary>
    public static DefaultLevel Of(Diagnostic diagnostic) =>
        !diagnostic.Descriptor.IsEnabledByDefault ? DefaultLevel.Off
        : diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => DefaultLevel.Error,
            DiagnosticSeverity.Warning => DefaultLevel.Warning,
            DiagnosticSeverity.Info => DefaultLevel.Info,
            _ => DefaultLevel.Hidden,
        };

    /// <summary>Warning or Error by default: what breaks a build with TreatWarningsAsErrors.</summary>
    public static bool IsWarningOrAbove(this DefaultLevel level) => level is DefaultLevel.Error or DefaultLevel.Warning;
}
