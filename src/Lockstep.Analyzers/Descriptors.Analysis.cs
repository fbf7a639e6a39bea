using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor AnalysisBudgetExhausted = Create(
        DiagnosticIds.AnalysisBudgetExhausted,
        title: "Lockstep stopped following calls at its budget",
        message: "Lockstep stopped following the calls of '{0}' after {1} functions, so findings that depend on code beyond them may be missing; raise lockstep.call_graph_budget to look further",
        Categories.Analysis,
        RuleLevel.Hidden,
        description: "Questions about calls (does this call block, which locks does it take, what does this started code reach) visit at most lockstep.call_graph_budget functions each, so that a pathological program cannot stall a build. When a question reaches the budget, Lockstep answers with what it found and says so here instead of going silent. Reported in builds and with full-solution analysis.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor InvalidOptionValue = Create(
        DiagnosticIds.InvalidOptionValue,
        title: "Lockstep cannot read this .editorconfig option",
        message: "{0}; set {1}",
        Categories.Analysis,
        RuleLevel.Warning,
        description: "An option Lockstep does not know, or a value it cannot read, is ignored and the default applies, so the configuration silently does nothing. Each problem is reported once per compilation, with the values the option accepts. Reported in builds and with full-solution analysis.",
        isCompilationEnd: true);
}
