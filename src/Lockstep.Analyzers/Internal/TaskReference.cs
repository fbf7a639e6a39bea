using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// A task named by a storage location (local, parameter, field or parameterless property), or an element of a
/// collection so named (<c>tasks[i]</c>). Two references with equal keys denote the same task for flow facts.
/// </summary>
internal readonly struct TaskReference : System.IEquatable<TaskReference>
{
    private TaskReference(ISymbol symbol, bool isElement)
    {
        Symbol = symbol;
        IsElement = isElement;
    }

    public ISymbol Symbol { get; }

    /// <summary>True when the reference is an element of the collection <see cref="Symbol"/>.</summary>
    public bool IsElement { get; }

    public static TaskReference? From(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => new TaskReference(local.Local, false),
        IParameterReferenceOperation parameter => new TaskReference(parameter.Parameter, false),
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => new TaskReference(field.Field, false),
        IPropertyReferenceOperation { Arguments.Length: 0, Instance: null or IInstanceReferenceOperation } property => new TaskReference(property.Property, false),
        IArrayElementReferenceOperation element when From(element.ArrayReference) is { IsElement: false } array => new TaskReference(array.Symbol, true),
        IPropertyReferenceOperation { Arguments.Length: > 0 } indexer when From(indexer.Instance) is { IsElement: false } list => new TaskReference(list.Symbol, true),
        _ => null,
    };

    public bool Equals(TaskReference other) =>
        IsElement == other.IsElement && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

    public override bool Equals(object? obj) => obj is TaskReference other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) ^ (IsElement ? 1 : 0);
}
