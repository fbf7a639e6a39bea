using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Values that cannot change once made, so that two threads making one each and one of them winning loses nothing:
/// the point of "idempotent lazy initialisation" (<c>_name ??= ComputeName();</c>). Strings, primitives, enums,
/// delegates, <c>Type</c>, <c>Version</c>, <c>Uri</c>, <c>Encoding</c>, <c>Regex</c>, and types of the compilation whose
/// instance fields are all readonly (through their base types in source); never anything disposable, which the loser
/// would leak.
/// </summary>
internal sealed class ImmutableValues
{
    private readonly INamedTypeSymbol?[] _immutableLibraryTypes;

    private readonly TaskCatalogue _tasks;

    public ImmutableValues(KnownTypes types, TaskCatalogue tasks)
    {
        _tasks = tasks;
        var compilation = types.Compilation;
        _immutableLibraryTypes = new[]
        {
            compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemVersion),
            compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemUri),
            compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemType),
            compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemTextEncoding),
            compilation.GetTypeByMetadataName(WellKnownTypeNames.SystemTextRegularExpressionsRegex),
        };
    }

    /// <summary>
    /// Whether assigning <paramref name="value"/> again, from another thread, gives every reader an equivalent value
    /// and loses or leaks nothing: an immutable value, the one object a static readonly field holds, or a value the
    /// caller already has (a parameter or local: the race only decides which of two existing values is kept first).
    /// </summary>
    public bool IsIdempotentInitialValue(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        if (value.ConstantValue.HasValue)
            return true;
        if (value is IParameterReferenceOperation or ILocalReferenceOperation)
            return true; // keeping the first of values that already exist (_error ??= error): nothing is made, so nothing leaks
        if (value is IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } })
            return true; // the same singleton whoever wins
        if (value is IInvocationOperation creation && _tasks.CompletedByConstruction.Contains(creation.TargetMethod))
            return true; // a completed task (Task.FromResult): its result never changes, and it needs no disposing

        return IsImmutable(value.Type, depth: 0);
    }

    /// <summary><c>Nullable&lt;T&gt;.HasValue</c>: the "is it set yet" question of a lazily initialised value type.</summary>
    public static bool IsHasValue(IPropertySymbol property) =>
        property.ContainingType?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && property.Name == "HasValue";

    private bool IsImmutable(ITypeSymbol? type, int depth)
    {
        if (type is null || depth > 3 || LockCatalogue.IsDisposable(type))
            return false;

        if (type.SpecialType is not (SpecialType.None or SpecialType.System_Object or SpecialType.System_Array or SpecialType.System_Collections_IEnumerable))
            return true; // string and the primitives
        if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
            return true;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable)
            return IsImmutable(nullable.TypeArguments[0], depth + 1);

        foreach (var known in _immutableLibraryTypes)
        {
            if (known is not null && KnownTypes.IsOrDerivesFrom(type, known))
                return true;
        }

        return type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named && HasOnlyReadonlyState(named, depth);
    }

    /// <summary>
    /// A type of the compilation that has state and whose instance fields are all readonly, in it and in its base types
    /// in source. A class without any state (<c>new object()</c>) is made for its identity, which is exactly what two
    /// racing initialisers do not share: a lazily created lock object is not idempotent.
    /// </summary>
    private static bool HasOnlyReadonlyState(INamedTypeSymbol type, int depth)
    {
        bool hasState = type.IsValueType;
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.DeclaringSyntaxReferences.IsEmpty)
                return false; // a library type whose private state is not visible

            foreach (var member in current.GetMembers())
            {
                if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
                    continue;
                if (!field.IsReadOnly || field.Type.TypeKind == TypeKind.Array)
                    return false;
                hasState = true;
            }
        }

        return hasState;
    }
}
