using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1005: a field or property marked <c>[GuardedBy(nameof(_sync))]</c> is accessed, or a method marked
/// <c>[RequiresLock(nameof(_sync))]</c> is called, without holding that lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GuardedByViolationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.GuardedByViolation);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            // Without the runtime library nobody can write the contract, and the rule costs nothing.
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (catalogue.Types.GuardedByAttribute is null)
                return;

            start.RegisterSymbolStartAction(symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                var facts = new TypeLockFacts(catalogue);
                symbolStart.RegisterOperationAction(c => Record(c, facts, catalogue.Types), OperationKind.FieldReference, OperationKind.PropertyReference, OperationKind.Invocation);
                symbolStart.RegisterSymbolEndAction(end => Report(end, type, facts, catalogue.Types));
            }, SymbolKind.NamedType);
        });
    }

    private static void Record(OperationAnalysisContext context, TypeLockFacts facts, KnownTypes types)
    {
        switch (context.Operation)
        {
            case IFieldReferenceOperation { Field: var field } reference when LockContracts.GuardOf(field, types) is not null:
                facts.RecordAccess(reference, field, context.ContainingSymbol);
                break;
            case IPropertyReferenceOperation { Property: var property } reference when LockContracts.GuardOf(property, types) is not null:
                facts.RecordAccess(reference, property, context.ContainingSymbol);
                break;
            case IInvocationOperation invocation when LockContracts.RequiredLock(invocation.TargetMethod, types) is not null:
                facts.RecordAccess(invocation, invocation.TargetMethod, context.ContainingSymbol);
                break;
        }
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, TypeLockFacts facts, KnownTypes types)
    {
        var summaries = MethodSummaries.For(context.Compilation, context.Options);
        foreach (var access in facts.Accesses.OrderBy(a => a.Operation.Syntax.SpanStart))
        {
            string? guard = LockContracts.GuardOf(access.Member, types) ?? LockContracts.RequiredLock(access.Member, types);
            if (guard is null || IsConstructing(access, type))
                continue;

            var held = TypeLockFacts.EffectiveLocks(access, summaries, context.CancellationToken);
            if (held.Any(l => LockContracts.Names(l, guard)))
                continue;

            var properties = HoldLockShapes.Properties(access.Operation, guard, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GuardedByViolation, access.Operation.Syntax.GetLocation(), properties, access.Member.Name, guard));
        }
    }

    /// <summary>A constructor initialising its own object's guarded members: nobody else can see the object yet.</summary>
    private static bool IsConstructing(TypeLockFacts.MemberAccess access, ISymbol type) =>
        access.ContainingMember is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, access.Member.ContainingType)
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, type);
}
