using System.Collections.Generic;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// What a value factory does that a run whose result is dropped leaks or repeats (LS1006): it creates an object that
/// must be disposed and neither disposes it nor hands it to something that does; it starts a thread, task, timer or
/// callback; it subscribes to an event of an object that outlives the call; it adds to a collection that keeps
/// duplicates and outlives the call. Two questions for the engine, so helpers the factory calls are followed like any
/// other call, with the shortest chain to each effect: what the code does on the way (<see cref="Question"/>), and
/// whether the value it returns is a new object that must be disposed (<see cref="ReturnedValue"/>). A disposable a
/// helper returns is its caller's to dispose (<c>using var s = OpenStream(path)</c>), so it counts only when it reaches
/// the factory's own result.
/// </summary>
internal sealed class FactoryEffects
{
    private static readonly PerCompilationCache<FactoryEffects> Cache = new();

    private FactoryEffects(ValueFactoryCatalogue catalogue)
    {
        Question = new ReachQuestion<IOperation, string>(
            facts => EffectsOf(facts, catalogue),
            static call => !call.Branch.IsErrorPath,
            AsyncCalls.Follow);
        ReturnedValue = new ReachQuestion<IOperation, string>(
            facts => ReturnedDisposablesOf(facts, catalogue),
            static call => !call.Branch.IsErrorPath && IsReturned(call.Site),
            AsyncCalls.Follow);
    }

    /// <summary>"Which effects does this function have, itself or through the calls it makes?", each described for a message.</summary>
    public ReachQuestion<IOperation, string> Question { get; }

    /// <summary>"Is the value this function returns a new object that must be disposed?", through the calls whose result it returns.</summary>
    public ReachQuestion<IOperation, string> ReturnedValue { get; }

    public static FactoryEffects For(Compilation compilation, ConcurrencyCatalogue catalogue) =>
        Cache.GetOrBuild(compilation, () => new FactoryEffects(catalogue.ValueFactories));

    private static IEnumerable<KeyValuePair<IOperation, string>> EffectsOf(FunctionFacts facts, ValueFactoryCatalogue catalogue)
    {
        var effects = new List<KeyValuePair<IOperation, string>>();
        foreach (var start in facts.Starts)
        {
            if (catalogue.IsRepeatedByDuplicateRun(start.Kind, start.Operation))
                effects.Add(new KeyValuePair<IOperation, string>(start.Operation, "starts " + start.ApiName));
        }

        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(facts.Root))
        {
            switch (operation)
            {
                case IObjectCreationOperation creation when catalogue.MustBeDisposed(creation) && !IsDisposedHere(creation, facts.Root) && !IsReturned(creation):
                    effects.Add(new KeyValuePair<IOperation, string>(creation, $"creates '{creation.Type!.Name}', which must be disposed"));
                    break;
                case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation reference } when OutlivesTheCall(reference.Instance):
                    effects.Add(new KeyValuePair<IOperation, string>(operation, $"subscribes to '{reference.Event.Name}'"));
                    break;
                case IInvocationOperation invocation when catalogue.IsCollectionAdd(invocation.TargetMethod) && OutlivesTheCall(invocation.Instance):
                    effects.Add(new KeyValuePair<IOperation, string>(operation, $"adds to '{Describe(invocation.Instance)}'"));
                    break;
            }
        }

        effects.Sort(static (x, y) => x.Key.Syntax.SpanStart.CompareTo(y.Key.Syntax.SpanStart));
        return effects;
    }

    private static IEnumerable<KeyValuePair<IOperation, string>> ReturnedDisposablesOf(FunctionFacts facts, ValueFactoryCatalogue catalogue)
    {
        foreach (var creation in OperationTree.SameFunctionDescendants<IObjectCreationOperation>(facts.Root))
        {
            if (catalogue.MustBeDisposed(creation) && IsReturned(creation))
                yield return new KeyValuePair<IOperation, string>(creation, $"creates '{creation.Type!.Name}', which must be disposed");
        }
    }

    /// <summary>
    /// The value is what its function returns: directly, through a conversion or a conditional, as an argument of an
    /// object that is returned (a reader around a stream), or through a local that is returned.
    /// </summary>
    private static bool IsReturned(IOperation value)
    {
        var current = value;
        for (int steps = 0; steps < 16 && current.Parent is { } parent; steps++)
        {
            switch (parent)
            {
                case IReturnOperation:
                    return true;
                case IConversionOperation or IArgumentOperation or IConditionalOperation or ICoalesceOperation or IParenthesizedOperation or IAwaitOperation:
                    current = parent;
                    continue;
                case IObjectCreationOperation when current is IArgumentOperation:
                    current = parent;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return IsLocalReturned(declarator.Symbol, OperationTree.FunctionRoot(declarator));
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                    return IsLocalReturned(local.Local, OperationTree.FunctionRoot(parent));
            }

            return false;
        }

        return false;
    }

    private static bool IsLocalReturned(ILocalSymbol local, IOperation root)
    {
        foreach (var returned in OperationTree.SameFunctionDescendants<IReturnOperation>(root))
        {
            var value = returned.ReturnedValue;
            while (value is IConversionOperation conversion)
                value = conversion.Operand;
            if (value is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Static state, or a field or property of an object that is not made here (<c>_registry</c>, <c>Bus.Changed</c>):
    /// what is added to it stays after the dropped value is gone. Locals, parameters and <c>this</c> are left out: in a
    /// helper or constructor they are usually the value being made.
    /// </summary>
    private static bool OutlivesTheCall(IOperation? instance)
    {
        while (instance is IConversionOperation conversion)
            instance = conversion.Operand;
        return instance switch
        {
            null => true,
            IFieldReferenceOperation field => field.Field.IsStatic || field.Instance is null or IInstanceReferenceOperation,
            IPropertyReferenceOperation property => property.Property.IsStatic || property.Instance is null or IInstanceReferenceOperation,
            _ => false,
        };
    }

    private static string Describe(IOperation? instance) => instance switch
    {
        IFieldReferenceOperation field => field.Field.Name,
        IPropertyReferenceOperation property => property.Property.Name,
        _ => "a collection",
    };

    /// <summary>
    /// The object is disposed by the function that makes it: a <c>using</c> resource, a local disposed explicitly, or an
    /// argument of another object that is (<c>using var reader = new StreamReader(new FileStream(…))</c>).
    /// </summary>
    private static bool IsDisposedHere(IOperation creation, IOperation root)
    {
        var current = creation;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation or IArgumentOperation or IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation:
                    current = parent;
                    continue;
                case IObjectCreationOperation owner when current is IArgumentOperation:
                    current = owner;
                    continue;
                case IUsingOperation or IUsingDeclarationOperation:
                    return true;
                case IVariableDeclarationGroupOperation group when group.Parent is IUsingOperation or IUsingDeclarationOperation:
                    return true;
                case IVariableDeclarationGroupOperation:
                    return current is IVariableDeclarationOperation declaration && DisposesLocals(declaration, root);
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                    return IsDisposed(local.Local, root);
            }

            return false;
        }

        return false;
    }

    private static bool DisposesLocals(IVariableDeclarationOperation declaration, IOperation root)
    {
        foreach (var declarator in declaration.Declarators)
        {
            if (IsDisposed(declarator.Symbol, root))
                return true;
        }

        return false;
    }

    /// <summary>A <c>Dispose()</c> or <c>DisposeAsync()</c> call on the local, or the local as a <c>using</c> resource.</summary>
    private static bool IsDisposed(ILocalSymbol local, IOperation root)
    {
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(root))
        {
            if (operation is IInvocationOperation { Instance: ILocalReferenceOperation receiver } invocation
                && SymbolEqualityComparer.Default.Equals(receiver.Local, local)
                && ValueFactoryCatalogue.IsDisposeCall(invocation))
                return true;
            if (operation is IUsingOperation { Resources: ILocalReferenceOperation resource } && SymbolEqualityComparer.Default.Equals(resource.Local, local))
                return true;
        }

        return false;
    }
}
