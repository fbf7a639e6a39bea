using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// Where the LS1004/LS1005 repair can take the lock the contract or the other accesses name, decided on syntax so the
/// analyzer (which offers it) and the fixer (which applies it) agree.
/// </summary>
internal static class HoldLockShapes
{
    /// <summary>
    /// The statement holding the access goes in <c>lock (name)</c>, or an expression-bodied member becomes a block that
    /// does so. None when the named member is not an object a <c>lock</c> statement can use (a semaphore, mutex or
    /// reader/writer lock is acquired differently), the statement declares a local (the lock would end its scope), awaits
    /// (no await inside a lock), or is not in a block.
    /// </summary>
    public static System.Collections.Immutable.ImmutableDictionary<string, string?> Properties(IOperation access, string lockName, CancellationToken cancellationToken)
    {
        var properties = FixProperties.LockName.Set(FixProperties.None, lockName);
        if (access.SemanticModel is not { } model || Choose(access.Syntax, lockName, model, cancellationToken) is not { } fix
            || LockExpression(access, lockName, model, cancellationToken) is not { } lockExpression)
        {
            return properties;
        }

        return FixProperties.HoldLockFix.Set(FixProperties.LockName.Set(properties, lockExpression), fix);
    }

    /// <summary>
    /// The lock of the object whose member is used: <c>_sync</c> for this object's, <c>other._sync</c> when the member is
    /// used through a local or parameter <c>other</c> (its guard is the other object's lock), the lock itself when it is
    /// static. None through any other receiver, or for this object's lock in a static member.
    /// </summary>
    private static string? LockExpression(IOperation access, string lockName, SemanticModel model, CancellationToken cancellationToken)
    {
        var instance = access switch
        {
            IFieldReferenceOperation field => field.Instance,
            IPropertyReferenceOperation property => property.Instance,
            IInvocationOperation invocation => invocation.Instance,
            _ => null,
        };
        while (instance is IConversionOperation conversion)
            instance = conversion.Operand;

        var type = model.GetEnclosingSymbol(access.Syntax.SpanStart, cancellationToken)?.ContainingType;
        bool lockIsStatic = lockName != "this" && type?.GetMembers(lockName).FirstOrDefault() is { IsStatic: true };
        if (lockIsStatic)
            return lockName;

        return instance switch
        {
            IInstanceReferenceOperation when model.GetEnclosingSymbol(access.Syntax.SpanStart, cancellationToken) is { IsStatic: false } => lockName,
            ILocalReferenceOperation or IParameterReferenceOperation => lockName == "this" ? instance.Syntax.ToString() : instance.Syntax + "." + lockName,
            _ => null,
        };
    }

    public static HoldLockFixKind? Choose(SyntaxNode node, string lockName, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!IsMonitorLock(model, node, lockName, cancellationToken))
            return null;

        if (ExpressionBodyOf(node) is not null)
            return HoldLockFixKind.ExpressionBody;

        return Statement(node) is not null ? HoldLockFixKind.Statement : null;
    }

    /// <summary>The statement to wrap: in a block, not a block itself, declaring nothing, not awaiting.</summary>
    public static StatementSyntax? Statement(SyntaxNode node)
    {
        var statement = node.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null or BlockSyntax or LocalDeclarationStatementSyntax || statement.Parent is not BlockSyntax)
            return null;

        // Inside a lambda's expression body the nearest statement is outside the lambda: wrapping it would lock the wrong code.
        if (node.FirstAncestorOrSelf<LambdaExpressionSyntax>() is { } lambda && !lambda.Span.Contains(statement.Span))
            return null;

        return statement.DescendantNodesAndSelf().Any(n => n is AwaitExpressionSyntax) ? null : statement;
    }

    /// <summary>The expression body of the method, property, indexer or accessor holding <paramref name="node"/>; not of an async one.</summary>
    public static ArrowExpressionClauseSyntax? ExpressionBodyOf(SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is not { } arrow
            || node.FirstAncestorOrSelf<LambdaExpressionSyntax>() is { } lambda && arrow.Span.Contains(lambda.Span)
            || arrow.DescendantNodes().Any(n => n is AwaitExpressionSyntax))
        {
            return null;
        }

        return arrow.Parent switch
        {
            MethodDeclarationSyntax method when !method.Modifiers.Any(SyntaxKind.AsyncKeyword) => arrow,
            PropertyDeclarationSyntax or IndexerDeclarationSyntax => arrow,
            AccessorDeclarationSyntax => arrow,
            _ => null,
        };
    }

    private static bool IsMonitorLock(SemanticModel model, SyntaxNode node, string lockName, CancellationToken cancellationToken)
    {
        if (lockName == "this")
            return true;

        var type = model.GetEnclosingSymbol(node.SpanStart, cancellationToken)?.ContainingType;
        var member = type?.GetMembers(lockName).FirstOrDefault();
        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        // A semaphore, mutex or reader/writer lock has its own acquire and release: a lock statement on it would bypass them.
        return memberType is { IsReferenceType: true } && !ConcurrencyCatalogue.For(model.Compilation).Locks.IsWaitBasedPrimitive(memberType);
    }
}
