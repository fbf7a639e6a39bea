using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
            // Known by name: without the runtime library nobody can write the contract, and the rule costs nothing.
            if (start.Compilation.GetTypeByMetadataName(WellKnownTypeNames.LockstepGuardedByAttribute) is not { } guardedBy)
                return;
            var requiresLock = start.Compilation.GetTypeByMetadataName(WellKnownTypeNames.LockstepRequiresLockAttribute);
            var contracts = new Contracts(guardedBy, requiresLock);

            start.RegisterSymbolStartAction(symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                var facts = new TypeLockFacts();
                symbolStart.RegisterOperationAction(c => Record(c, type, facts, contracts), OperationKind.FieldReference, OperationKind.PropertyReference, OperationKind.Invocation);
                symbolStart.RegisterSymbolEndAction(end => Report(end, type, facts, contracts));
            }, SymbolKind.NamedType);
        });
    }

    private static void Record(OperationAnalysisContext context, INamedTypeSymbol type, TypeLockFacts facts, Contracts contracts)
    {
        switch (context.Operation)
        {
            case IFieldReferenceOperation { Field: var field } reference when contracts.GuardOf(field) is not null:
                facts.RecordAccess(reference, field, context.ContainingSymbol);
                break;
            case IPropertyReferenceOperation { Property: var property } reference when contracts.GuardOf(property) is not null:
                facts.RecordAccess(reference, property, context.ContainingSymbol);
                break;
            case IInvocationOperation invocation:
                if (contracts.RequiredLock(invocation.TargetMethod) is not null)
                    facts.RecordAccess(invocation, invocation.TargetMethod, context.ContainingSymbol);
                if (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, type))
                    facts.RecordCall(invocation, invocation.TargetMethod, context.ContainingSymbol);
                break;
        }
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, TypeLockFacts facts, Contracts contracts)
    {
        ImmutableHashSet<LockIdentity> Declared(ISymbol member) => contracts.DeclaredLocks(member, type);
        var implied = facts.ImpliedLocks(Declared);

        foreach (var access in facts.Accesses.OrderBy(a => a.Operation.Syntax.SpanStart))
        {
            string? guard = contracts.GuardOf(access.Member) ?? contracts.RequiredLock(access.Member);
            if (guard is null || IsConstructing(access, context.Symbol))
                continue;

            var held = TypeLockFacts.EffectiveLocks(access, implied, Declared);
            if (held.Any(l => Matches(l, guard)))
                continue;

            var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticPropertyKeys.LockName, guard);
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GuardedByViolation, access.Operation.Syntax.GetLocation(), properties, access.Member.Name, guard));
        }
    }

    /// <summary>A held lock satisfies a contract that names it: the member of that name, or <c>this</c>.</summary>
    private static bool Matches(LockIdentity held, string name) =>
        name == "this" ? held.Shape == LockShape.This : held.Shape == LockShape.Member && held.Symbol.Name == name;

    /// <summary>A constructor initialising its own object's guarded members: nobody else can see the object yet.</summary>
    private static bool IsConstructing(TypeLockFacts.MemberAccess access, ISymbol type) =>
        access.ContainingMember is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, access.Member.ContainingType)
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, type);

    private sealed class Contracts
    {
        private readonly INamedTypeSymbol _guardedBy;
        private readonly INamedTypeSymbol? _requiresLock;

        public Contracts(INamedTypeSymbol guardedBy, INamedTypeSymbol? requiresLock)
        {
            _guardedBy = guardedBy;
            _requiresLock = requiresLock;
        }

        public string? GuardOf(ISymbol member) => NameArgument(member, _guardedBy);

        public string? RequiredLock(ISymbol member) => _requiresLock is null ? null : NameArgument(member, _requiresLock);

        /// <summary>The locks a member may assume because it (or its property) is marked [RequiresLock].</summary>
        public ImmutableHashSet<LockIdentity> DeclaredLocks(ISymbol member, INamedTypeSymbol type)
        {
            var owner = member is IMethodSymbol { AssociatedSymbol: { } property } ? property : member;
            string? name = RequiredLock(member) ?? RequiredLock(owner);
            if (name is null)
                return ImmutableHashSet<LockIdentity>.Empty;

            if (name == "this")
                return ImmutableHashSet.Create(new LockIdentity(type, LockShape.This, true));

            var lockMember = type.GetMembers(name).FirstOrDefault();
            return lockMember is null ? ImmutableHashSet<LockIdentity>.Empty : ImmutableHashSet.Create(new LockIdentity(lockMember.OriginalDefinition, LockShape.Member, true));
        }

        private static string? NameArgument(ISymbol member, INamedTypeSymbol attribute)
        {
            foreach (var data in member.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)
                    && data.ConstructorArguments.Length == 1
                    && data.ConstructorArguments[0].Value is string { Length: > 0 } name)
                {
                    return name;
                }
            }

            return null;
        }
    }
}
