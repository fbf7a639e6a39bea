using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// The method an operation runs, as written: an invocation, a property access (its getter or setter), an object
/// creation (its constructor) or a user-defined operator. Which bodies that runs at run time is the call graph's
/// question (<see cref="CallGraph"/>).
/// </summary>
internal static class CallTargets
{
    /// <summary>The operation kinds that can run a method: the ones <see cref="GetInvokedMethod"/> understands.</summary>
    public static readonly ImmutableArray<OperationKind> CallingKinds = ImmutableArray.Create(
        OperationKind.Invocation,
        OperationKind.PropertyReference,
        OperationKind.ObjectCreation,
        OperationKind.Binary,
        OperationKind.Unary,
        OperationKind.Conversion,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.CompoundAssignment);

    /// <summary>The method the operation invokes (original definition, the extension method for a reduced call); null when none runs.</summary>
    public static IMethodSymbol? GetInvokedMethod(IOperation operation)
    {
        var method = operation switch
        {
            IInvocationOperation invocation when !IsInNameOf(invocation) => invocation.TargetMethod,
            IPropertyReferenceOperation property when !IsInNameOf(property) => IsWrittenTo(property) ? property.Property.SetMethod : property.Property.GetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            IBinaryOperation { OperatorMethod: { } binary } => binary,
            IUnaryOperation { OperatorMethod: { } unary } => unary,
            IConversionOperation { OperatorMethod: { } conversion } => conversion,
            IIncrementOrDecrementOperation { OperatorMethod: { } increment } => increment,
            ICompoundAssignmentOperation { OperatorMethod: { } compound } => compound,
            _ => null,
        };

        if (method is null)
            return null;

        method = method.ReducedFrom ?? method;
        method = method.PartialImplementationPart ?? method;
        return method.OriginalDefinition;
    }

    /// <summary>How chains and messages name a method: its name, the property for accessors, <c>new T</c> for constructors.</summary>
    public static string DisplayName(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.PropertyGet or MethodKind.PropertySet => method.AssociatedSymbol?.Name ?? method.Name,
        MethodKind.Constructor => "new " + method.ContainingType.Name,
        _ => method.Name,
    };

    /// <summary>Whether a method has a body in source that runs when it is called (not abstract, extern, partial without body).</summary>
    public static bool HasSourceBody(IMethodSymbol method) =>
        !method.IsAbstract && !method.IsExtern && !method.DeclaringSyntaxReferences.IsEmpty
        && method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.PropertyGet
            or MethodKind.PropertySet or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion
            or MethodKind.ExplicitInterfaceImplementation or MethodKind.EventAdd or MethodKind.EventRemove;

    /// <summary>A call written inside <c>nameof</c> never runs.</summary>
    private static bool IsInNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
                return true;
        }

        return false;
    }

    private static bool IsWrittenTo(IPropertyReferenceOperation property) =>
        property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property;

    /// <summary>Whether a method is an iterator, worked out once per method: every call site of it asks.</summary>
    private static readonly ConditionalWeakTable<IMethodSymbol, object> Iterators = new();

    /// <summary>An iterator runs its body only when it is enumerated, not when it is called.</summary>
    public static bool IsIterator(IMethodSymbol method) =>
        (bool)Iterators.GetValue(method, static m => ComputeIsIterator(m));

    private static bool ComputeIsIterator(IMethodSymbol method)
    {
        // An iterator returns an enumerable or enumerator interface (IEnumerable<T>, IAsyncEnumerable<T>, …): a method
        // returning void, a class or a struct is settled without reading its syntax, and that is most calls.
        if (method.ReturnType.TypeKind != TypeKind.Interface)
            return false;

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var body = reference.GetSyntax() switch
            {
                BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body,
                LocalFunctionStatementSyntax local => local.Body,
                AccessorDeclarationSyntax accessor => accessor.Body,
                _ => null,
            };

            if (body is not null && ContainsYield(body))
                return true;
        }

        return false;
    }

    private static bool ContainsYield(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is YieldStatementSyntax)
                return true;
        }

        return false;
    }
}
