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
/// LS1004: a field of a type is accessed under a lock in most places (at least two thirds, writes counting double,
/// with at least one locked write) but without it here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InconsistentSynchronizationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Share of the weighted accesses that must hold the lock before the lock counts as the field's guard.</summary>
    private const double GuardedShare = 2.0 / 3.0;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.InconsistentSynchronization);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static compilationStart =>
        {
            var catalogue = ConcurrencyCatalogue.For(compilationStart.Compilation);
            compilationStart.RegisterSymbolStartAction(start =>
            {
                var type = (INamedTypeSymbol)start.Symbol;
                if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !type.GetMembers().OfType<IFieldSymbol>().Any(f => IsCandidate(f, catalogue)))
                    return;

                var facts = new TypeLockFacts(catalogue);
                start.RegisterOperationAction(c => Record(c, type, facts, catalogue), OperationKind.FieldReference);
                start.RegisterSymbolEndAction(end => Report(end, facts, catalogue));
            }, SymbolKind.NamedType);
        });
    }

    /// <summary>Mutable, shared-looking fields: not const, readonly, volatile (deliberately lock-free) or per-thread.</summary>
    private static bool IsCandidate(IFieldSymbol field, ConcurrencyCatalogue catalogue) =>
        !field.IsConst && !field.IsReadOnly && !field.IsVolatile && !field.IsImplicitlyDeclared && !catalogue.Atomics.IsThreadStatic(field);

    private static void Record(OperationAnalysisContext context, INamedTypeSymbol type, TypeLockFacts facts, ConcurrencyCatalogue catalogue)
    {
        if (context.Operation is IFieldReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Field.ContainingType, type)
            && IsCandidate(reference.Field, catalogue))
        {
            // Constructors and finalizers run while no other thread can see the object.
            if (context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor })
                return;
            facts.RecordAccess(reference, reference.Field, context.ContainingSymbol);
        }
    }

    private static void Report(SymbolAnalysisContext context, TypeLockFacts facts, ConcurrencyCatalogue catalogue)
    {
        var summaries = MethodSummaries.For(context.Compilation, context.Options);
        foreach (var group in facts.Accesses.GroupBy(a => a.Member, SymbolEqualityComparer.Default))
        {
            var field = (IFieldSymbol)group.Key!;
            var accesses = group.OrderBy(a => a.Operation.Syntax.SpanStart).ToList();
            var locked = new List<(TypeLockFacts.MemberAccess Access, LockIdentity Lock)>();
            var unlocked = new List<TypeLockFacts.MemberAccess>();
            foreach (var access in accesses)
            {
                var locks = TypeLockFacts.EffectiveLocks(access, summaries, context.CancellationToken).Where(l => l.IsMutualExclusion).ToList();
                if (locks.Count > 0)
                    locked.Add((access, locks[0]));
                else if (!access.IsAtomic)
                    unlocked.Add(access);
            }

            // One locked access is no evidence of a guard ("1 of 2 places"): it takes at least two, one of them a write.
            if (unlocked.Count == 0 || locked.Count < 2 || !locked.Any(l => l.Access.IsWrite))
                continue;

            double lockedWeight = locked.Sum(l => Weight(l.Access));
            double total = lockedWeight + unlocked.Sum(Weight);
            if (lockedWeight < GuardedShare * total)
                continue;

            var guard = locked.GroupBy(l => l.Lock).OrderByDescending(g => g.Count()).First().Key;
            foreach (var access in unlocked)
            {
                if (!access.IsWrite && (ReadsAtomically(field.Type) || IsDoubleCheckedRead(access, guard)))
                    continue;

                // Code after the workers it started have been joined runs alone (the "print the total" step).
                if (Windows.IsAfterJoinedWork(access.Operation, catalogue))
                    continue;

                var properties = HoldLockShapes.Properties(access.Operation, guard.Name, context.CancellationToken);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.InconsistentSynchronization,
                    access.Operation.Syntax.GetLocation(),
                    properties,
                    field.Name,
                    guard.Name,
                    locked.Count,
                    locked.Count + unlocked.Count));
            }
        }
    }

    private static double Weight(TypeLockFacts.MemberAccess access) => access.IsWrite ? 2 : 1;

    /// <summary>
    /// Reads of references and of values up to 32 bits cannot be torn; an unlocked read of them sees an old or a new
    /// value, which code often accepts (a status property). Longer values and structs can be read half-updated.
    /// </summary>
    private static bool ReadsAtomically(ITypeSymbol type)
    {
        if (type.IsReferenceType)
            return true;

        var underlying = type is INamedTypeSymbol { EnumUnderlyingType: { } enumType } ? enumType : type;
        return underlying.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_Byte or SpecialType.System_SByte
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Single or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;
    }

    /// <summary>The outer check of double-checked locking: <c>if (_x == null) { lock (_sync) { if (_x == null) … } }</c>.</summary>
    private static bool IsDoubleCheckedRead(TypeLockFacts.MemberAccess access, LockIdentity guard)
    {
        for (var parent = access.Operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && conditional.Condition.Syntax.Span.Contains(access.Operation.Syntax.Span))
                return conditional.WhenTrue.DescendantsAndSelf().OfType<ILockOperation>().Any();
        }

        return false;
    }
}
