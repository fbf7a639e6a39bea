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
}
