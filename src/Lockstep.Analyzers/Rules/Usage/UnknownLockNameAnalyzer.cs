using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.Usage;

/// <summary>
/// LS9001: <c>[GuardedBy]</c>, <c>[RequiresLock]</c>, <c>[AcquiredBefore]</c> or <c>[AcquiredAfter]</c> naming a lock that is
/// neither a field or property of the annotated member's type (or a base type) nor <c>"this"</c>. The rules that read
/// these contracts find nothing to match such a name, so the contract silently checks nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownLockNameAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnknownLockName);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var types = ConcurrencyCatalogue.For(start.Compilation).Types;
            var contracts = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            foreach (var attribute in new[] { types.GuardedByAttribute, types.RequiresLockAttribute, types.AcquiredBeforeAttribute, types.AcquiredAfterAttribute })
            {
                if (attribute is not null)
                    contracts.Add(attribute);
            }

            // Without the runtime library there are no contracts to check.
            if (contracts.Count == 0)
                return;

            var attributes = contracts.ToImmutable();
            start.RegisterSymbolAction(c => Analyze(c, attributes), SymbolKind.Field, SymbolKind.Property, SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, ImmutableArray<INamedTypeSymbol> contracts)
    {
        var member = context.Symbol;
        if (member.ContainingType is not { } type)
            return;

        foreach (var data in member.GetAttributes())
        {
            if (data.AttributeClass is null || !Contains(contracts, data.AttributeClass) || data.ConstructorArguments.Length != 1)
                continue;

            foreach (var name in Names(data.ConstructorArguments[0]))
            {
                if (name == LockContracts.This || IsLockMember(type, name))
                    continue;

                var properties = ImmutableDictionary<string, string?>.Empty;
                if (ClosestLockMember(type, name) is { } suggestion)
                    properties = properties.Add(DiagnosticPropertyKeys.SuggestedLockName, suggestion);

                // [GuardedBy], as the code writes it, not GuardedByAttribute.
                string className = data.AttributeClass.Name;
                string attributeName = className.EndsWith("Attribute", StringComparison.Ordinal) ? className.Substring(0, className.Length - "Attribute".Length) : className;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnknownLockName,
                    NameLocation(data, name, context.CancellationToken) ?? member.Locations[0],
                    properties,
                    attributeName,
                    member.Name,
                    name,
                    type.Name));
            }
        }
    }

    private static bool Contains(ImmutableArray<INamedTypeSymbol> types, INamedTypeSymbol type)
    {
        foreach (var candidate in types)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, type))
                return true;
        }

        return false;
    }

    private static IEnumerable<string> Names(TypedConstant argument)
    {
        if (argument.Kind == TypedConstantKind.Array)
        {
            foreach (var element in argument.Values)
            {
                if (element.Value is string text)
                    yield return text;
            }
        }
        else if (argument.Value is string single)
        {
            yield return single;
        }
    }

    /// <summary>A field or property of that name in the type or a base type (a protected lock of a base class counts).</summary>
    private static bool IsLockMember(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in current.GetMembers(name))
            {
                if (candidate is IFieldSymbol or IPropertySymbol)
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The field or property of the type whose name is nearest to <paramref name="name"/> (case-insensitive edit distance
    /// of at most a third of the name, and at least 2), when exactly one is nearest: the likely intended lock.
    /// </summary>
    private static string? ClosestLockMember(INamedTypeSymbol type, string name)
    {
        int limit = Math.Max(2, name.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (var candidate in type.GetMembers())
        {
            if (candidate is not (IFieldSymbol { IsImplicitlyDeclared: false } or IPropertySymbol) || !SyntaxFacts.IsValidIdentifier(candidate.Name))
                continue;

            int distance = EditDistance(name.ToLowerInvariant(), candidate.Name.ToLowerInvariant());
            if (distance > limit || distance > bestDistance)
                continue;
            tie = distance == bestDistance;
            bestDistance = distance;
            best = candidate.Name;
        }

        return tie ? null : best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The argument that spells the name (<c>"_snyc"</c> or <c>nameof(_snyc)</c>), else the attribute.</summary>
    private static Location? NameLocation(AttributeData data, string name, System.Threading.CancellationToken cancellationToken)
    {
        if (data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax attribute)
            return null;

        if (attribute.ArgumentList is { } arguments)
        {
            foreach (var argument in arguments.Arguments)
            {
                if (argument.Expression is LiteralExpressionSyntax literal && literal.Token.ValueText == name)
                    return argument.Expression.GetLocation();

                // nameof(Refresh) or nameof(Other._sync): names that compile but are not locks of this type.
                if (argument.Expression is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf
                    && nameOf.ArgumentList.Arguments.Count == 1
                    && LastIdentifier(nameOf.ArgumentList.Arguments[0].Expression) == name)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return attribute.GetLocation();
    }

    private static string? LastIdentifier(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
