using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

/// <summary>Every descriptor Lockstep reports. Families live in <c>Descriptors.&lt;Family&gt;.cs</c>.</summary>
public static partial class Descriptors
{
    /// <summary>
    /// Base of the help links; each rule's page is <c>docs/rules/{id}.md</c> in the repository. The address comes from
    /// <c>LockstepRepositoryUrl</c> in Directory.Build.props, the one place it is written (see <see cref="RepositoryInfo"/>).
    /// </summary>
    public const string HelpLinkBase = RepositoryInfo.DocsUrl + "/docs/rules/";

    /// <summary>
    /// The only place that calls the <see cref="DiagnosticDescriptor"/> constructor (BannedSymbols.txt bans it elsewhere),
    /// so help links, severities and custom tags are consistent across the package.
    /// </summary>
    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string message,
        string category,
        RuleLevel level,
        string description,
        bool isCompilationEnd = false)
    {
        var (severity, enabled) = level switch
        {
            RuleLevel.Warning => (DiagnosticSeverity.Warning, true),
            RuleLevel.Suggestion => (DiagnosticSeverity.Info, true),
            RuleLevel.Hidden => (DiagnosticSeverity.Hidden, true),
            _ => (DiagnosticSeverity.Info, false),
        };

        string[] tags = isCompilationEnd ? new[] { WellKnownDiagnosticTags.CompilationEnd } : System.Array.Empty<string>();

#pragma warning disable RS0030 // The factory is the one sanctioned caller of the constructor.
        return new DiagnosticDescriptor(id, title, message, category, severity, enabled, description, HelpLinkBase + id + ".md", tags);
#pragma warning restore RS0030
    }
}
