using System.Collections.Generic;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// A private <c>SemaphoreSlim(1, 1)</c> field used only as a lock: every use in its type is an acquisition
/// (<c>Wait()</c>/<c>WaitAsync()</c>, optionally with a token) paired with one <c>Release()</c>, either in the finally
/// block of the try that follows or later in the same block. Such a field can become the runtime library's
/// <c>AsyncLock</c>, whose <c>using</c> scope releases on every path by construction (LS5001's second fix).
/// </summary>
internal static class SemaphoreAsLock
{
    /// <summary>One acquisition and its release, as statements of one block.</summary>
    internal sealed class Pair
    {
        public Pair(IOperation acquisition, IOperation acquireStatement, IOperation? tryStatement, IOperation? releaseStatement)
        {
            Acquisition = acquisition;
            AcquireStatement = acquireStatement;
            TryStatement = tryStatement;
            ReleaseStatement = releaseStatement;
        }

        public IOperation Acquisition { get; }
        public IOperation AcquireStatement { get; }

        /// <summary>The try whose finally holds only the release, when the pair is written that way.</summary>
        public IOperation? TryStatement { get; }

        /// <summary>The release statement later in the same block, when there is no try.</summary>
        public IOperation? ReleaseStatement { get; }
    }

    public static bool IsConvertible(IFieldSymbol field, SemanticModel model, ConcurrencyCatalogue catalogue, System.Threading.CancellationToken cancellationToken, out List<Pair> pairs)
    {
        pairs = new List<Pair>();
        var locks = catalogue.Locks;
        if (field.DeclaredAccessibility != Accessibility.Private || !locks.IsSemaphoreSlim(field.Type)
            || catalogue.Types.AsyncLock is null
            || Lockstep.Analyzers.Internal.MemberInitializer.Of(field, cancellationToken) is not { } initializer
            || !SemaphoreCounts.IsSingleCount(initializer)
            || field.ContainingType.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var typeSyntax = field.ContainingType.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (typeSyntax.SyntaxTree != model.SyntaxTree)
            return false;

        var releases = new HashSet<IOperation>();
        foreach (var name in typeSyntax.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == field.Name))
        {
            if (model.GetOperation(name, cancellationToken) is not IFieldReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Field, field))
                continue;
            if (name.Parent is VariableDeclaratorSyntax)
                continue;

            switch (reference.Parent)
            {
                case IInvocationOperation { Arguments.Length: 0 } release when locks.IsSemaphoreRelease(release) && release.Parent is IExpressionStatementOperation statement:
                    releases.Add(statement);
                    break;
                case IInvocationOperation acquisition when locks.IsSemaphoreWait(acquisition)
                    && acquisition.Arguments.All(a => KnownTypes.Is(a.Value.Type, catalogue.Types.CancellationToken)) && PairOf(acquisition, locks) is { } pair:
                    pairs.Add(pair);
                    break;
                default:
                    return false; // any other use (CurrentCount, a timeout, passing it on) keeps it a semaphore
            }
        }

        // Every release belongs to exactly one pair, and every pair found its release.
        var paired = pairs.Select(p => p.ReleaseStatement ?? FinallyRelease(p.TryStatement!, locks)).ToList();
        return pairs.Count > 0 && paired.All(r => r is not null) && paired.Distinct().Count() == releases.Count && releases.SetEquals(paired!);
    }

    private static Pair? PairOf(IInvocationOperation acquisition, LockCatalogue locks)
    {
        IOperation current = acquisition;
        while (current.Parent is IAwaitOperation or IConversionOperation)
            current = current.Parent;
        if (current.Parent is not IExpressionStatementOperation { Parent: IBlockOperation block } statement)
            return null;

        int index = block.Operations.IndexOf(statement);
        if (index + 1 < block.Operations.Length && block.Operations[index + 1] is ITryOperation { Catches.Length: 0, Finally: { Operations.Length: 1 } } protecting
            && FinallyRelease(protecting, locks) is not null)
        {
            return new Pair(acquisition, statement, protecting, null);
        }

        for (int i = index + 1; i < block.Operations.Length; i++)
        {
            if (block.Operations[i] is IExpressionStatementOperation { Operation: IInvocationOperation { Arguments.Length: 0, Instance: IFieldReferenceOperation field } release }
                && locks.IsSemaphoreRelease(release)
                && acquisition.Instance is IFieldReferenceOperation acquired
                && SymbolEqualityComparer.Default.Equals(field.Field, acquired.Field))
            {
                return new Pair(acquisition, statement, null, block.Operations[i]);
            }
        }

        return null;
    }

    private static IOperation? FinallyRelease(IOperation tryStatement, LockCatalogue locks) =>
        tryStatement is ITryOperation { Finally.Operations.Length: 1 } protecting
        && protecting.Finally!.Operations[0] is IExpressionStatementOperation { Operation: IInvocationOperation { Arguments.Length: 0 } call } release
        && locks.IsSemaphoreRelease(call)
            ? release
            : null;
}
