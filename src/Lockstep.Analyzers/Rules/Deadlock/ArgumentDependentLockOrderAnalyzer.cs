using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2002: a function locks one argument (or a member of it) and, while holding it, the same member of another
/// argument of the same type (<c>lock (from) lock (to)</c>, <c>lock (_sync) lock (other._sync)</c>). Which object is
/// locked first is decided by the caller, so <c>Transfer(a, b)</c> and <c>Transfer(b, a)</c> running at the same time
/// can deadlock. Lock classes cannot see this (both locks are one class), so this rule looks at the values.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ArgumentDependentLockOrderAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ArgumentDependentLockOrder, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        LockOrderDiagnostics.Register(context, static (end, graph, catalogue) =>
        {
            bool hasAcquireInOrder = catalogue.Types.Locks is not null;
            foreach (var facts in graph.Functions)
            {
                end.CancellationToken.ThrowIfCancellationRequested();
                if (facts.Acquisitions.Length < 2 || facts.Function.MethodKind == MethodKind.AnonymousFunction)
                    continue;

                var pairs = ArgumentPairs(facts);
                foreach (var (outer, inner, outerRoot, innerRoot) in pairs)
                {
                    // Both orders in one function: it chooses between them (by an Id, a hash, a comparison): normalised.
                    if (pairs.Any(p => p.OuterRoot.Equals(innerRoot) && p.InnerRoot.Equals(outerRoot)))
                        continue;
                    if (IsUnderComparisonOf(inner.Operation, outerRoot, innerRoot))
                        continue;

                    bool combine = hasAcquireInOrder && NestedAcquisitions.CanCombine(outer.Acquisition.Syntax, inner.Operation.Syntax);
                    var site = new LockOrderSite(outer.Lock, inner.Lock, facts.Function, outer.Acquisition, inner.Operation, null, ImmutableArray<IMethodSymbol>.Empty);
                    var (additional, fixPairs) = LockOrderDiagnostics.Locations(site.Location, new[] { site }, combine ? new[] { site } : []);
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.ArgumentDependentLockOrder,
                        site.Location,
                        additional,
                        LockOrderDiagnostics.FixProperties(combine ? LockOrderFixKind.AcquireInOrder : null, fixPairs),
                        CallTargets.DisplayName(facts.Function),
                        outerRoot.Name,
                        innerRoot.Name,
                        Example(facts.Function, outerRoot, innerRoot)));
                }
            }
        });
    }

    /// <summary>
    /// Nested acquisitions whose two locks are the same member path on two different roots (parameters or <c>this</c>)
    /// of one type: the two objects are interchangeable, so only the caller decides which is which.
    /// </summary>
    private static List<(HeldLock Outer, AcquisitionFact Inner, Root OuterRoot, Root InnerRoot)> ArgumentPairs(FunctionFacts facts)
    {
        var pairs = new List<(HeldLock, AcquisitionFact, Root, Root)>();
        foreach (var acquisition in facts.Acquisitions)
        {
            if (!acquisition.WaitsIndefinitely || acquisition.IsOrderedGroup || !Root.TryOf(acquisition.Value, out var innerRoot, out var innerPath))
                continue;

            foreach (var held in acquisition.Held)
            {
                if (Root.TryOf(held.Value, out var outerRoot, out var outerPath)
                    && !outerRoot.Equals(innerRoot)
                    && SymbolEqualityComparer.Default.Equals(outerRoot.Type, innerRoot.Type)
                    && outerPath.SequenceEqual(innerPath, SymbolEqualityComparer.Default))
                {
                    pairs.Add((held, acquisition, outerRoot, innerRoot));
                }
            }
        }

        return pairs;
    }

    /// <summary>
    /// Whether the inner acquisition sits in a branch whose condition involves both objects (<c>if (from.Id &lt; to.Id)</c>):
    /// the code picks the order by comparing them, which is the normalisation this rule asks for.
    /// </summary>
    private static bool IsUnderComparisonOf(IOperation operation, Root first, Root second)
    {
        for (var parent = operation.Parent; parent is not null && parent is not (IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation); parent = parent.Parent)
        {
            var condition = parent switch
            {
                IConditionalOperation conditional => conditional.Condition,
                ISwitchOperation switchOperation => switchOperation.Value,
                _ => null,
            };
            if (condition is not null && Mentions(condition, first) && Mentions(condition, second))
                return true;
        }

        return false;
    }

    private static bool Mentions(IOperation condition, Root root)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (Root.IsReference(operation, root))
                return true;
        }

        return false;
    }

    /// <summary>The two calls that deadlock each other, written as the caller would.</summary>
    private static string Example(IMethodSymbol function, Root outer, Root inner)
    {
        string name = CallTargets.DisplayName(function);
        if (outer.Symbol is IParameterSymbol first && inner.Symbol is IParameterSymbol second && function.Parameters.Length == 2)
            return first.Ordinal < second.Ordinal ? name + "(a, b) and " + name + "(b, a)" : name + "(b, a) and " + name + "(a, b)";
        if (outer.Symbol is ITypeSymbol || inner.Symbol is ITypeSymbol)
            return "a." + name + "(b) and b." + name + "(a)";
        return "two calls that pass the same two objects the other way round";
    }

    /// <summary>A parameter, or <c>this</c> (its symbol is then the containing type), that a lock value is reached from.</summary>
    private readonly struct Root : System.IEquatable<Root>
    {
        private Root(ISymbol symbol, ITypeSymbol type)
        {
            Symbol = symbol;
            Type = type;
        }

        public ISymbol Symbol { get; }
        public ITypeSymbol Type { get; }
        public string Name => Symbol is ITypeSymbol ? "this" : Symbol.Name;

        /// <summary>The root and the members on the way from it: <c>from</c> → (from, []), <c>other._sync</c> → (other, [_sync]), <c>_sync</c> → (this, [_sync]).</summary>
        public static bool TryOf(IOperation? value, out Root root, out List<ISymbol> path)
        {
            root = default;
            path = new List<ISymbol>();
            while (true)
            {
                while (value is IConversionOperation conversion)
                    value = conversion.Operand;

                switch (value)
                {
                    case IParameterReferenceOperation { Parameter: var parameter } when parameter.RefKind == RefKind.None:
                        root = new Root(parameter, parameter.Type);
                        path.Reverse();
                        return true;
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance, Type: { } type }:
                        root = new Root(type, type);
                        path.Reverse();
                        return true;
                    case IFieldReferenceOperation { Field.IsStatic: false } field:
                        path.Add(field.Field.OriginalDefinition);
                        value = field.Instance;
                        break;
                    case IPropertyReferenceOperation { Property.IsStatic: false, Arguments.IsEmpty: true } property:
                        path.Add(property.Property.OriginalDefinition);
                        value = property.Instance;
                        break;
                    default:
                        return false;
                }
            }
        }

        public static bool IsReference(IOperation operation, Root root) => operation switch
        {
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, root.Symbol),
            IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => root.Symbol is ITypeSymbol,
            _ => false,
        };

        public bool Equals(Root other) => SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);
        public override bool Equals(object? obj) => obj is Root other && Equals(other);
        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol);
    }
}
