using System;
using System.Collections.Immutable;
using System.Linq.Expressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// The elements of a collection written out in the code: an array creation with an initializer, a C# 12 collection
/// expression (<c>[a, b, ..rest]</c>), or the collection a C# 13 <c>params</c> argument builds (<c>Task.WhenAll(a, b)</c>
/// binds to <c>params ReadOnlySpan&lt;Task&gt;</c> from C# 13 on).
/// </summary>
/// <remarks>
/// Collection expressions and spreads are newer than the Roslyn floor (4.5) the analyzers are built against. When a newer
/// compiler runs them, its operation trees hold these kinds; they are recognised by their <see cref="OperationKind"/>
/// value and read through the running compiler's own interfaces, found once by reflection (light-up). On the floor they
/// never occur and nothing here matches.
/// </remarks>
internal static class CollectionElements
{
    // OperationKind and SyntaxKind values from Roslyn 4.8 (C# 12); the floor's enums end before them.
    private const OperationKind CollectionExpressionKind = (OperationKind)127;
    private const OperationKind SpreadKind = (OperationKind)128;
    private const SyntaxKind CollectionExpressionSyntaxKind = (SyntaxKind)9076;
    private const SyntaxKind SpreadElementSyntaxKind = (SyntaxKind)9078;

    private static readonly Func<IOperation, ImmutableArray<IOperation>>? s_collectionExpressionElements =
        Getter<ImmutableArray<IOperation>>("ICollectionExpressionOperation", "Elements");

    private static readonly Func<IOperation, IOperation>? s_spreadOperand = Getter<IOperation>("ISpreadOperation", "Operand");

    /// <summary>
    /// The element operations of <paramref name="value"/> (conversions around it are looked through), or false when it
    /// is not a collection written out element by element. A spread element stays in the list as itself; see
    /// <see cref="SpreadOperand"/>.
    /// </summary>
    public static bool TryGet(IOperation? value, out ImmutableArray<IOperation> elements)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                elements = initializer.ElementValues;
                return true;

            case { Kind: CollectionExpressionKind } when s_collectionExpressionElements is not null:
                elements = s_collectionExpressionElements(value);
                return true;

            default:
                elements = default;
                return false;
        }
    }

    /// <summary>The collection spread into a collection expression by <c>..operand</c>; null for any other element.</summary>
    public static IOperation? SpreadOperand(IOperation element) =>
        element.Kind == SpreadKind && s_spreadOperand is not null ? s_spreadOperand(element) : null;

    /// <summary>
    /// The number of elements of a collection expression read from syntax alone (a field initializer in another tree),
    /// or null when <paramref name="expression"/> is not one or spreads another collection, whose size is unknown.
    /// </summary>
    public static int? CountInSyntax(SyntaxNode expression)
    {
        if (!expression.IsKind(CollectionExpressionSyntaxKind))
            return null;

        int count = 0;
        foreach (var element in expression.ChildNodes())
        {
            if (element.IsKind(SpreadElementSyntaxKind))
                return null;
            count++;
        }

        return count;
    }

    /// <summary>A compiled getter for <paramref name="property"/> of the running compiler's operation interface, or null when it has none.</summary>
    private static Func<IOperation, T>? Getter<T>(string interfaceName, string property)
    {
        var type = typeof(IOperation).Assembly.GetType("Microsoft.CodeAnalysis.Operations." + interfaceName, throwOnError: false);
        var getter = type?.GetProperty(property)?.GetMethod;
        if (type is null || getter is null || getter.ReturnType != typeof(T))
            return null;

        var operation = Expression.Parameter(typeof(IOperation), "operation");
        return Expression.Lambda<Func<IOperation, T>>(Expression.Call(Expression.Convert(operation, type), getter), operation).Compile();
    }
}
