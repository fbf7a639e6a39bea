using System.Collections.Immutable;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1003: a List, Dictionary, HashSet, Queue or other non-thread-safe collection is changed by concurrent code while
/// others use it, or walked (foreach, LINQ) while concurrent code changes it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonThreadSafeCollectionMutatedConcurrentlyAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.NonThreadSafeCollectionMutatedConcurrently, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        DataRaceDiagnostics.Register(context, static (end, model) =>
        {
            foreach (var finding in model.CollectionMutations)
            {
                var type = finding.Access.Location switch
                {
                    IFieldSymbol field => field.Type,
                    ILocalSymbol local => local.Type,
                    IParameterSymbol parameter => parameter.Type,
                    IPropertySymbol property => property.Type,
                    _ => null,
                };

                // An iteration outside the lock gets no fix: holding the lock for the whole loop runs its body (often
                // callbacks) under the lock, and the right snapshot (a copy taken under the lock) is the author's call.
                var preferred = finding.Access.Location is ILocalSymbol ? RaceFixKind.ConcurrentCollection : RaceFixKind.Lock;
                var properties = finding.Access.Kind == AccessKind.Iteration
                    ? Lockstep.Analyzers.FixProperties.None
                    : DataRaceDiagnostics.RepairProperties(finding.Access, preferred, end);
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.NonThreadSafeCollectionMutatedConcurrently,
                    finding.Location,
                    finding.Severity(Descriptors.NonThreadSafeCollectionMutatedConcurrently),
                    additionalLocations: null,
                    properties,
                    DataRaceDiagnostics.MemberName(finding.Access.Location),
                    type?.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat) ?? "the collection",
                    finding.Origin));
            }
        });
    }
}
