using System;
using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>Shared plumbing of the data-race rules: they ask the concurrency model once, at compilation end.</summary>
internal static class DataRaceDiagnostics
{
    /// <summary>
    /// Feeds the engine's function index from this rule's operation blocks and hands the finished model to
    /// <paramref name="report"/> at compilation end. Nothing is registered when the compilation cannot start
    /// concurrent work at all.
    /// </summary>
    public static void Register(AnalysisContext context, Action<CompilationAnalysisContext, ConcurrencyModel> report)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (!ConcurrencyCatalogue.For(start.Compilation).HasThreadsOrTasks)
                return;

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationBlockAction(summaries.Index.Add);

            // Whole-program facts: reported once the compilation is complete (builds and full-solution analysis).
            start.RegisterCompilationEndAction(end =>
            {
                var model = ConcurrencyModel.For(end.Compilation, summaries, end.CancellationToken);
                report(end, model);
                BudgetNotes.Report(end, model.Exhausted, summaries.Index);
            });
        });
    }

    /// <summary>The shared member as messages name it.</summary>
    public static string MemberName(ISymbol location) => location.Name;

    /// <summary>The properties of a race finding: the repair <see cref="RaceFixShapes"/> finds fitting, if any, and where its lock must begin.</summary>
    public static ImmutableDictionary<string, string?> RepairProperties(AccessFact access, RaceFixKind preferred, CompilationAnalysisContext end)
    {
        int? regionStart = access.EarlierRead?.Syntax.SpanStart;
        var properties = Lockstep.Analyzers.FixProperties.None;
        var summaries = MethodSummaries.For(end.Compilation, end.Options);
        if (access.Operation.SemanticModel is not { } model
            || RaceFixShapes.Choose(access.Operation.Syntax, preferred, regionStart, model, summaries, end.CancellationToken) is not { } fix)
        {
            return properties;
        }

        properties = Lockstep.Analyzers.FixProperties.RaceFix.Set(properties, fix);
        return regionStart is { } start ? Lockstep.Analyzers.FixProperties.RegionStart.Set(properties, start) : properties;
    }
}
