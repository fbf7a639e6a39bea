using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>The semantic conditions of the LS2001 repairs that change one order (the syntax ones are in <see cref="NestedAcquisitions"/>).</summary>
internal static class LockOrderRepairs
{
    /// <summary>
    /// <c>lock (a) { x; lock (b) { y } z }</c> can become <c>lock (b) { lock (a) { x; { y } z } }</c>: the inner lock's
    /// expression names the same object before the outer lock is taken, and taking <c>b</c> before the other locks
    /// the block takes adds no order that leads back to <c>b</c>.
    /// </summary>
    public static bool CanTakeInnerFirst(LockOrderGraph graph, LockOrderSite site)
    {
        if (!site.IsNested || site.Inner is not ILockOperation inner || site.Outer is not ILockOperation
            || !NestedAcquisitions.CanTakeInnerFirst(site.Outer.Syntax, site.Inner.Syntax)
            || !IsStableBefore(inner.LockedValue, site.Outer.Syntax))
        {
            return false;
        }

        // Every lock taken while the outer one is held in this block will also be taken while holding the inner one.
        foreach (var edge in graph.Edges)
        {
            if (!edge.Key.From.Equals(site.From) || edge.Key.To.Equals(site.To))
                continue;
            if (edge.Value.Any(s => s.Outer.Syntax == site.Outer.Syntax) && Reaches(graph, edge.Key.To, site.To))
                return false;
        }

        return true;
    }

    /// <summary>
    /// The only statement of a <c>lock</c> statement calls a method that takes the other lock, and that method (with what
    /// it calls) uses nothing of the type that owns the first lock, through receivers and arguments that name the same
    /// objects outside the lock. The lock then guards nothing the call needs.
    /// </summary>
    public static bool CanCallOutsideLock(LockOrderSite site, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        if (site.Call is not IInvocationOperation call
            || site.Outer is not ILockOperation { Syntax: LockStatementSyntax lockStatement }
            || !IsOnlyStatement(lockStatement, call.Syntax)
            || (site.From.Shape == LockShape.This ? site.From.Symbol : site.From.Symbol.ContainingType) is not INamedTypeSymbol owner)
        {
            return false;
        }

        if (call.Instance is { } instance && !IsStableBefore(instance, lockStatement, summaries))
            return false;
        if (call.Arguments.Any(a => a.Parameter?.RefKind is not RefKind.None || !IsStableBefore(a.Value, lockStatement, summaries)))
            return false;

        var usesOwner = new ReachQuestion<bool, AccessFact>(
            facts => facts.Accesses.Where(a => SymbolEqualityComparer.Default.Equals(a.Location.ContainingType, owner)).Take(1).Select(a => new KeyValuePair<bool, AccessFact>(true, a)),
            static _ => true,
            AsyncCalls.Skip);
        foreach (var callee in summaries.Graph.TargetsOf(call, AsyncCalls.Skip, cancellationToken))
        {
            var reach = summaries.Reach(callee, usesOwner, cancellationToken);
            if (!reach.IsEmpty || reach.Exhausted)
                return false;
        }

        return true;
    }

    private static bool IsOnlyStatement(LockStatementSyntax lockStatement, SyntaxNode call) =>
        (lockStatement.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : lockStatement.Statement)
            is ExpressionStatementSyntax statement && statement.Expression == call;

    /// <summary>
    /// An expression that evaluates to the same object before <paramref name="scope"/> as inside it: <c>this</c>, parameters,
    /// locals declared before it, <c>typeof</c>, constants and readonly fields — and, when <paramref name="summaries"/> is
    /// given, fields nothing writes after construction.
    /// </summary>
    private static bool IsStableBefore(IOperation value, SyntaxNode scope, MethodSummaries? summaries = null) =>
        value.DescendantsAndSelf().All(o => o switch
        {
            IInstanceReferenceOperation or ITypeOfOperation or IConversionOperation or ILiteralOperation => true,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } => true,
            ILocalReferenceOperation local => !local.Local.IsRef && !local.Local.DeclaringSyntaxReferences.Any(r => scope.Span.Contains(r.Span)),
            IFieldReferenceOperation { Field: var field } => field.IsReadOnly || field.IsConst || (summaries is not null && IsNeverWritten(field, summaries)),
            _ => o.ConstantValue.HasValue,
        });

    /// <summary>No function of the compilation writes the field outside the constructors of its own object.</summary>
    private static bool IsNeverWritten(IFieldSymbol field, MethodSummaries summaries)
    {
        foreach (var facts in summaries.Index.Collected)
        {
            foreach (var access in facts.Accesses)
            {
                if (access.IsWrite && SymbolEqualityComparer.Default.Equals(access.Location, field.OriginalDefinition))
                    return false;
            }
        }

        return true;
    }

    /// <summary>Whether the graph has a path of one or more orders from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static bool Reaches(LockOrderGraph graph, LockIdentity from, LockIdentity to)
    {
        var visited = new HashSet<LockIdentity> { from };
        var queue = new Queue<LockIdentity>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var edge in graph.Edges)
            {
                if (!edge.Key.From.Equals(node))
                    continue;
                if (edge.Key.To.Equals(to))
                    return true;
                if (visited.Add(edge.Key.To))
                    queue.Enqueue(edge.Key.To);
            }
        }

        return false;
    }
}
