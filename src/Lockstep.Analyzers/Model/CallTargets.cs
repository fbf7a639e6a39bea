using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Which source method an operation runs synchronously, when that is known at compile time. The model follows only
/// such calls: a virtual or interface call may dispatch anywhere, an async method returns at its first await and
/// reports its own blocking, and an iterator runs its body only when enumerated.
/// </summary>
internal static class CallTargets
{
    /// <summary>The operation kinds that can run a source method: the ones <see cref="GetFollowableTarget"/> understands.</summary>
    public static readonly System.Collections.Immutable.ImmutableArray<OperationKind> CallingKinds = System.Collections.Immutable.ImmutableArray.Create(
        OperationKind.Invocation,
        OperationKind.PropertyReference,
        OperationKind.ObjectCreation,
        OperationKind.Binary,
        OperationKind.Unary,
        OperationKind.Conversion,
        OperationKind.Increment,
        OperationKind.Decrement,
        OperationKind.CompoundAssignment);

    /// <summary>The method an invocation, property access, object creation or user-defined operator runs, if the model can follow it.</summary>
    public static IMethodSymbol? GetFollowableTarget(IOperation operation) => operation switch
    {
        IInvocationOperation invocation when !IsDeferred(invocation) => Followable(invocation.TargetMethod),
        IPropertyReferenceOperation property => Followable(IsWrittenTo(property) ? property.Property.SetMethod : property.Property.GetMethod),
        IObjectCreationOperation creation => Followable(creation.Constructor),
        IBinaryOperation { OperatorMethod: { } method } => Followable(method),
        IUnaryOperation { OperatorMethod: { } method } => Followable(method),
        IConversionOperation { OperatorMethod: { } method } => Followable(method),
        IIncrementOrDecrementOperation { OperatorMethod: { } method } => Followable(method),
        ICompoundAssignmentOperation { OperatorMethod: { } method } => Followable(method),
        _ => null,
    };

    /// <summary>
    /// Like <see cref="GetFollowableTarget"/>, but also follows async methods: the body of an async method called from
    /// concurrent code runs in that concurrent context, which is what the race rules need to know.
    /// </summary>
    public static IMethodSymbol? GetRaceFollowableTarget(IOperation operation)
    {
        if (GetFollowableTarget(operation) is { } target)
            return target;

        var method = operation switch
        {
            IInvocationOperation invocation when !IsDeferred(invocation) => invocation.TargetMethod,
            _ => null,
        };

        method = (method?.ReducedFrom ?? method)?.OriginalDefinition;
        return method is { IsAsync: true, IsAbstract: false, DeclaringSyntaxReferences.IsEmpty: false }
            && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
            ? method
            : null;
    }

    /// <summary>How chains and messages name a method: its name, the property for accessors, <c>new T</c> for constructors.</summary>
    public static string DisplayName(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.PropertyGet or MethodKind.PropertySet => method.AssociatedSymbol?.Name ?? method.Name,
        MethodKind.Constructor => "new " + method.ContainingType.Name,
        _ => method.Name,
    };

    private static IMethodSymbol? Followable(IMethodSymbol? method)
    {
        if (method is null)
            return null;

        method = method.ReducedFrom ?? method;
        method = method.PartialImplementationPart ?? method;
        method = method.OriginalDefinition;

        if (method.IsAsync || method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty)
            return null;

        // An overridable member may run a different body at run time; following the declared one could accuse the wrong code.
        if ((method.IsVirtual || method.IsOverride) && !method.IsSealed && method.ContainingType is { IsSealed: false })
            return null;

        return method.MethodKind switch
        {
            MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet or MethodKind.PropertySet
                or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion => IsIterator(method) ? null : method,
            _ => null,
        };
    }

    /// <summary>A call written inside <c>nameof</c> never runs.</summary>
    private static bool IsDeferred(IOperation operation)
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
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMethodSymbol, object> Iterators = new();

    private static bool IsIterator(IMethodSymbol method) =>
        (bool)Iterators.GetValue(method, static m => ComputeIsIterator(m));

    private static bool ComputeIsIterator(IMethodSymbol method)
    {
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
