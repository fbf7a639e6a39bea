using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>What makes a lock object a poor one: who else can lock it, or why the lock excludes nothing.</summary>
internal enum WeakLockKind
{
    None,
    This,
    TypeObject,
    String,
    Boxed,
    ReassignedField,
    MethodLocal,
}

/// <summary>Classifies the object a <c>lock</c> statement or <c>Monitor</c> call uses (LS5003).</summary>
internal static class WeakLockSubject
{
    /// <summary>The value a lock site locks: <c>lock (x)</c>, or the first argument of Monitor.Enter/TryEnter/Exit/Wait/Pulse.</summary>
    public static IOperation? LockedValue(IOperation site, LockCatalogue locks) => site switch
    {
        ILockOperation lockOperation => lockOperation.LockedValue,
        IInvocationOperation invocation when locks.IsMonitorCall(invocation) => invocation.Arguments[0].Value,
        _ => null,
    };

    public static WeakLockKind Classify(IOperation value, INamedTypeSymbol type, System.Func<IFieldSymbol, bool> isReassigned, LockCatalogue locks, out string subject)
    {
        subject = string.Empty;
        if (value is IConversionOperation { Operand.Type.IsValueType: true, Type.IsReferenceType: true } boxing)
        {
            subject = "a boxed '" + boxing.Operand.Type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'";
            return WeakLockKind.Boxed;
        }

        while (value is IConversionOperation { IsImplicit: true } conversion)
            value = conversion.Operand;

        switch (value)
        {
            case IInstanceReferenceOperation when IsVisibleOutsideAssembly(type):
                subject = "'this'";
                return WeakLockKind.This;
            case ITypeOfOperation typeOf:
                subject = "'typeof(" + typeOf.TypeOperand.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ")'";
                return WeakLockKind.TypeObject;
            case IInvocationOperation getType when locks.IsGetType(getType):
                subject = "'GetType()'";
                return WeakLockKind.TypeObject;
        }

        if (value.Type?.SpecialType == SpecialType.System_String)
        {
            subject = "a string";
            return WeakLockKind.String;
        }

        switch (value)
        {
            case IFieldReferenceOperation { Field: { IsReadOnly: false } field } when SymbolEqualityComparer.Default.Equals(field.ContainingType, type) && isReassigned(field):
                subject = "'" + field.Name + "'";
                return WeakLockKind.ReassignedField;
            case ILocalReferenceOperation { Local: var local } when IsPrivateNewObject(local, value, locks):
                subject = "'" + local.Name + "'";
                return WeakLockKind.MethodLocal;
        }

        return WeakLockKind.None;
    }

    /// <summary>
    /// Whether code in other assemblies can get hold of instances of the type by name: the type and every type it is
    /// nested in are public or protected. <c>lock (this)</c> in an internal or private type is not reported on purpose:
    /// the only other code that could lock the same object is the assembly's own, which its authors see and control, and
    /// on real code such types often lock <c>this</c> by design (an object that is its own monitor).
    /// </summary>
    private static bool IsVisibleOutsideAssembly(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                return false;
        }

        return true;
    }

    public static string Consequence(WeakLockKind kind, INamedTypeSymbol type) => kind switch
    {
        WeakLockKind.This => "lets code outside '" + type.Name + "' take the same lock",
        WeakLockKind.TypeObject => "shares the lock with any code in the process that locks the same Type object",
        WeakLockKind.String => "shares the lock with every use of an equal interned string",
        WeakLockKind.Boxed => "locks a new box every time, so nothing is excluded",
        WeakLockKind.ReassignedField => "can lock different objects once the field is reassigned",
        _ => "locks an object no other call can see, so nothing is excluded",
    };

    /// <summary>
    /// A local initialised with a new object in the same function and used for nothing but locking there: not captured
    /// by a lambda, not passed on, not stored. Each call then locks its own object.
    /// </summary>
    private static bool IsPrivateNewObject(ILocalSymbol local, IOperation reference, LockCatalogue locks)
    {
        var root = Internal.OperationTree.FunctionRoot(reference);

        bool createdHere = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    createdHere = declarator.Initializer?.Value is IObjectCreationOperation
                        || (declarator.Initializer?.Value is IConversionOperation { Operand: IObjectCreationOperation });
                    break;
                case ILocalReferenceOperation use when SymbolEqualityComparer.Default.Equals(use.Local, local):
                    if (!IsUsedOnlyForLocking(use, locks) || Internal.OperationTree.IsInNestedFunction(use, root))
                        return false;
                    break;
            }
        }

        return createdHere;
    }

    private static bool IsUsedOnlyForLocking(IOperation use, LockCatalogue locks)
    {
        var parent = use.Parent;
        while (parent is IConversionOperation)
            parent = parent.Parent;
        return parent is ILockOperation || parent is IArgumentOperation { Parent: IInvocationOperation monitor } && locks.IsMonitorCall(monitor);
    }

    public static bool IsStaticContext(ISymbol containingSymbol) =>
        containingSymbol.IsStatic || (containingSymbol is IMethodSymbol { AssociatedSymbol: { IsStatic: true } });

    /// <summary>The reference is the target of an assignment (or a ref/out argument).</summary>
    public static bool IsAssignment(IOperation target) =>
        target.Parent is IAssignmentOperation assignment && assignment.Target == target
        || target.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out };

    public static bool IsAssignmentOutsideConstruction(IOperation target, ISymbol containingSymbol) =>
        containingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
        && containingSymbol is not IFieldSymbol
        && (target.Parent is IAssignmentOperation assignment && assignment.Target == target
            || target.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out });

    public static bool AnyMonitorCall(System.Collections.Generic.IEnumerable<IOperation> sites) => sites.Any(s => s is IInvocationOperation);
}
