using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// LS0001, the visible note that a question about calls reached the budget (instead of silence). One note per function
/// per compilation, whichever rule meets it first; every analyzer that follows calls supports the descriptor.
/// </summary>
internal static class BudgetNotes
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<ISymbol, byte>> Claimed = new();

    /// <summary>Notes, at each function's declaration, the walks from <paramref name="functions"/> that stopped at the budget.</summary>
    public static void Report(CompilationAnalysisContext context, IEnumerable<IMethodSymbol> functions, FunctionIndex index)
    {
        foreach (var function in functions)
        {
            if (function.Locations.Length > 0 && function.Locations[0].IsInSource && Claim(context.Compilation, function))
                context.ReportDiagnostic(Create(function, function.Locations[0], index));
        }
    }

    /// <summary>Notes at <paramref name="location"/> (the call being analyzed) that the walk from <paramref name="function"/> stopped at the budget.</summary>
    public static void Report(OperationAnalysisContext context, IMethodSymbol function, Location location, FunctionIndex index)
    {
        if (Claim(context.Compilation, function))
            context.ReportDiagnostic(Create(function, location, index));
    }

    private static bool Claim(Compilation compilation, IMethodSymbol function) =>
        Claimed.GetValue(compilation, static _ => new ConcurrentDictionary<ISymbol, byte>(SymbolEqualityComparer.Default)).TryAdd(function, 0);

    private static Diagnostic Create(IMethodSymbol function, Location location, FunctionIndex index) =>
        Diagnostic.Create(Descriptors.AnalysisBudgetExhausted, location, CallTargets.DisplayName(function), index.Budget.ToString(CultureInfo.InvariantCulture));
}
