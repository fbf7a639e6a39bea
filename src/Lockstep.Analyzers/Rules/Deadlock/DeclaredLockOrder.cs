using System.Collections.Generic;
using System.Globalization;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// The lock order the code declares: <c>[AcquiredBefore]</c> and <c>[AcquiredAfter]</c> on lock fields and properties
/// (names resolve in the annotated member's type; <c>"this"</c> is the instance), and the constant ranks of
/// <c>OrderedLock</c> fields (a ranked lock is taken only while every ranked lock held has a lower rank).
/// </summary>
internal sealed class DeclaredLockOrder
{
    private readonly INamedTypeSymbol? _before;
    private readonly INamedTypeSymbol? _after;
    private readonly INamedTypeSymbol? _orderedLock;

    public DeclaredLockOrder(KnownTypes types)
    {
        _before = types.AcquiredBeforeAttribute;
        _after = types.AcquiredAfterAttribute;
        _orderedLock = types.OrderedLock;
    }

    public bool IsEmpty => _before is null && _after is null && _orderedLock is null;

    /// <summary>Why taking <paramref name="taken"/> while <paramref name="held"/> is held goes against the declared order, or null.</summary>
    public string? Contradiction(LockIdentity held, LockIdentity taken)
    {
        if (Names(taken, _before, held))
            return "[AcquiredBefore] on '" + taken.Symbol.Name + "' puts it before '" + held.Name + "'";
        if (Names(held, _after, taken))
            return "[AcquiredAfter] on '" + held.Symbol.Name + "' puts it after '" + taken.Name + "'";
        if (RankOf(held) is { } heldRank && RankOf(taken) is { } takenRank && takenRank <= heldRank)
        {
            // A ranked lock may be taken only while every ranked lock held has a lower rank: equal ranks never nest.
            string takenText = takenRank.ToString(CultureInfo.InvariantCulture);
            string heldText = heldRank.ToString(CultureInfo.InvariantCulture);
            return takenRank == heldRank
                ? "'" + taken.Name + "' and '" + held.Name + "' share rank " + takenText + ", so neither may be taken while the other is held"
                : "the ranks put '" + taken.Name + "' (rank " + takenText + ") before '" + held.Name + "' (rank " + heldText + ")";
        }

        return null;
    }

    /// <summary>Whether <paramref name="annotated"/> carries <paramref name="attribute"/> naming <paramref name="other"/>.</summary>
    private static bool Names(LockIdentity annotated, INamedTypeSymbol? attribute, LockIdentity other)
    {
        if (attribute is null || annotated.Shape != LockShape.Member || annotated.Symbol is not (IFieldSymbol or IPropertySymbol))
            return false;

        foreach (var data in annotated.Symbol.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute) || data.ConstructorArguments.Length != 1)
                continue;

            foreach (var name in NamesIn(data.ConstructorArguments[0]))
            {
                if (Refers(name, other, annotated.Symbol.ContainingType))
                    return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> NamesIn(TypedConstant argument)
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

    private static bool Refers(string name, LockIdentity other, INamedTypeSymbol? type) => other.Shape switch
    {
        LockShape.This => name == LockContracts.This && SymbolEqualityComparer.Default.Equals(other.Symbol, type),
        LockShape.Member => other.Symbol.Name == name && SymbolEqualityComparer.Default.Equals(other.Symbol.ContainingType, type),
        _ => false,
    };

    /// <summary>The constant rank an <c>OrderedLock</c> field or property is created with, if any.</summary>
    private int? RankOf(LockIdentity identity)
    {
        if (_orderedLock is null || identity.Shape != LockShape.Member)
            return null;

        var type = identity.Symbol switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (!SymbolEqualityComparer.Default.Equals(type, _orderedLock)
            || Lockstep.Analyzers.Internal.MemberInitializer.Of(identity.Symbol) is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments })
            return null;

        // new OrderedLock("name", 2) or new OrderedLock("name", rank: 2): a literal, possibly negated.
        for (int i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            bool isRank = argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == LockCatalogue.OrderedLockRankParameter : i == 1;
            if (isRank)
                return Literal(argument.Expression);
        }

        return null;
    }

    private static int? Literal(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax { Token.Value: int value } => value,
        PrefixUnaryExpressionSyntax { OperatorToken.Text: "-", Operand: LiteralExpressionSyntax { Token.Value: int negated } } => -negated,
        ParenthesizedExpressionSyntax { Expression: var inner } => Literal(inner),
        _ => null,
    };
}
