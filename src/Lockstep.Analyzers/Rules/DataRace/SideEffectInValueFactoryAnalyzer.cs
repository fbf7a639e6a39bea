using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1006: a <c>ConcurrentDictionary.GetOrAdd</c> or <c>AddOrUpdate</c> value factory creates something that must be
/// disposed, starts work, or registers something, directly or through the methods it calls.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
[NoCodeFix("The remedy (Lazy<T> values, or a lock around check, create and add) changes the dictionary's type or every use of it; the docs page shows both.")]
public sealed class SideEffectInValueFactoryAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Effects deeper than this many calls from the factory are reported as a suggestion: the factory's author may not know of them, and neither may the analysis (a helper's effect may be guarded where we cannot see).</summary>
    private const int EvidentDepth = 2;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SideEffectInValueFactory, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (catalogue.Types.ConcurrentDictionary is null)
                return;

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            var effects = FactoryEffects.For(start.Compilation, catalogue);
            start.RegisterOperationAction(c => Analyze(c, catalogue, summaries, effects), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ConcurrencyCatalogue catalogue, MethodSummaries summaries, FactoryEffects effects)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var factories = catalogue.ValueFactories.FactoriesOf(invocation);

        // Lazy<T> values are the remedy: making the wrapper is cheap, and only the stored one's Value runs.
        if (factories.IsEmpty || catalogue.ValueFactories.HoldsLazyValues(invocation))
            return;

        foreach (var factory in factories)
        {
            if (!StartRecognizer.DelegateTarget(factory.Value, out var target, out _))
                continue;

            // The nearer of what the factory does on the way and what it returns.
            Reached<string>? nearest = null;
            foreach (var question in new[] { effects.ReturnedValue, effects.Question })
            {
                var reach = summaries.Reach(target, question, context.CancellationToken);
                if (reach.Exhausted)
                    BudgetNotes.Report(context, target, factory.Syntax.GetLocation(), summaries.Index);
                if (!reach.IsEmpty && (nearest is null || reach.Found[0].Value.Chain.Length < nearest.Value.Chain.Length))
                    nearest = reach.Found[0].Value;
            }

            if (nearest is not { } found)
                continue;

            int calls = found.Chain.Length - 1;
            string through = calls == 0 ? "" : " (through " + DescribeCalls(found.Chain) + ")";
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SideEffectInValueFactory,
                factory.Value.Syntax.GetLocation(),
                calls <= EvidentDepth ? Descriptors.SideEffectInValueFactory.DefaultSeverity : DiagnosticSeverity.Info,
                additionalLocations: null,
                properties: null,
                invocation.TargetMethod.Name,
                found.Fact,
                through));
        }
    }

    /// <summary>The methods the factory calls on the way to the effect: <c>Open → Connect</c>.</summary>
    private static string DescribeCalls(ImmutableArray<IMethodSymbol> chain)
    {
        var names = new string[chain.Length - 1];
        for (int i = 1; i < chain.Length; i++)
            names[i - 1] = CallTargets.DisplayName(chain[i]);
        return string.Join(" → ", names);
    }
}
