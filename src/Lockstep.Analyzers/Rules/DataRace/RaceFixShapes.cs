using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// The shapes the LS1001–LS1003 repairs rewrite, decided on syntax (and, for the concurrent collection, on the local's
/// uses) so that the analyzer, which names the repair in the diagnostic, and the fixer, which applies it, agree.
/// </summary>
internal static class RaceFixShapes
{
    /// <summary>
    /// The repair for a race at <paramref name="node"/>: <paramref name="preferred"/> when its shape fits, otherwise a lock
    /// around the statements from <paramref name="regionStart"/> to the race, otherwise none (an await inside the region,
    /// a region that spans blocks, code outside any type).
    /// </summary>
    public static RaceFixKind? Choose(SyntaxNode node, RaceFixKind preferred, int? regionStart, SemanticModel model, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var types = ConcurrencyCatalogue.For(model.Compilation).Types;
        bool fits = preferred switch
        {
            RaceFixKind.Interlocked => types.Interlocked is not null && InterlockedTarget(node) is not null,
            RaceFixKind.LazyInitializer => types.LazyInitializer is not null && LazyInitialization(node) is not null,
            RaceFixKind.ConcurrentCollection => ConcurrentCollectionShape.TryFind(model, node, cancellationToken) is not null,
            RaceFixKind.ReadOnce => ReadOnceShape.TryFind(model, node, cancellationToken) is not null,
            _ => false,
        };
        if (fits)
            return preferred;

        // A null check then use has one repair: reading once. A lock around it helps only if the write that clears the
        // field holds the same lock, which the finding does not promise; so no fix where reading once does not fit.
        if (preferred == RaceFixKind.ReadOnce)
            return null;

        var region = LockRegion(node, regionStart);
        SyntaxNode? locked = region.Lambda?.ExpressionBody ?? region.Arrow?.Expression ?? (region.First is { } first ? first.Parent : null);
        if (locked is null)
            return null;

        // The lock would hold whatever the region blocks on (LS5002). A sleep there moves out in front of the lock (a
        // delay computes nothing); any other blocking call means no lock fix.
        var span = region.First is { } start ? TextSpan.FromBounds(start.SpanStart, region.Last!.Span.End) : locked.Span;
        foreach (var blocking in BlockingCalls(locked, span, model, summaries, cancellationToken))
        {
            if (region.First is null || !IsMovableSleep(blocking, region.First, region.Last!, model, cancellationToken))
                return null;
        }

        return region.Lambda is not null ? RaceFixKind.LockLambdaBody
            : region.Arrow is not null ? RaceFixKind.LockExpressionBody
            : RaceFixKind.Lock;
    }

    /// <summary>The sleep statements of the statements a lock would hold, which the fix moves in front of it.</summary>
    public static List<StatementSyntax> SleepsToMoveOut(StatementSyntax first, StatementSyntax last, SemanticModel model, CancellationToken cancellationToken)
    {
        var region = TextSpan.FromBounds(first.SpanStart, last.Span.End);
        var sleeps = new List<StatementSyntax>();
        foreach (var invocation in first.Parent!.DescendantNodes(region).OfType<InvocationExpressionSyntax>())
        {
            if (region.Contains(invocation.Span) && IsMovableSleep(invocation, first, last, model, cancellationToken))
                sleeps.Add((StatementSyntax)invocation.Parent!);
        }

        return sleeps;
    }

    /// <summary>
    /// A <c>Thread.Sleep(…)</c> statement of the region, directly or inside its <c>if</c>/<c>else</c> branches (not in a loop,
    /// a try or a nested function, where moving it would change how often or whether it runs), whose argument uses none of
    /// the region's locals. Moved in front of the lock, a sleep inside a branch runs whichever branch is taken: a delay
    /// computes nothing, so only the timing changes.
    /// </summary>
    private static bool IsMovableSleep(SyntaxNode blocking, StatementSyntax first, StatementSyntax last, SemanticModel model, CancellationToken cancellationToken)
    {
        if (blocking is not InvocationExpressionSyntax { Parent: ExpressionStatementSyntax statement } invocation
            || model.GetOperation(invocation, cancellationToken) is not { } operation
            || !ConcurrencyCatalogue.For(model.Compilation).Blocking.TryClassify(operation, out var call)
            || call.Kind != BlockingKind.Sleep || call.Fix != AwaitFixKind.TaskDelay)
        {
            return false;
        }

        for (var parent = statement.Parent; parent != first.Parent; parent = parent?.Parent)
        {
            if (parent is not (BlockSyntax or IfStatementSyntax or ElseClauseSyntax))
                return false;
        }

        var region = TextSpan.FromBounds(first.SpanStart, last.Span.End);
        return !operation.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Any(l => l.Local.DeclaringSyntaxReferences.Any(r => region.Contains(r.Span)));
    }

    /// <summary>The calls within <paramref name="span"/> of <paramref name="scope"/> that block, directly or through methods of the compilation.</summary>
    private static IEnumerable<SyntaxNode> BlockingCalls(SyntaxNode scope, TextSpan span, SemanticModel model, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        var catalogue = summaries.Index.Catalogue;
        foreach (var node in scope.DescendantNodesAndSelf(span))
        {
            if (!span.Contains(node.Span) || node is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax or ObjectCreationExpressionSyntax)
                || node.Ancestors().TakeWhile(a => a != scope).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                || model.GetOperation(node, cancellationToken) is not { } operation)
            {
                continue;
            }

            if (catalogue.Blocking.TryClassify(operation, out _) || catalogue.Blocking.TryClassifyIo(operation, out _))
            {
                yield return node;
                continue;
            }

            if (CallTargets.GetInvokedMethod(operation) is null)
                continue;
            foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, cancellationToken))
            {
                var reach = summaries.Blocking(operation, callee, cancellationToken);
                if (!reach.IsEmpty || reach.Exhausted)
                {
                    yield return node;
                    break;
                }
            }
        }
    }

    /// <summary><c>x++</c>, <c>++x</c>, <c>x--</c>, <c>--x</c>, <c>x += n</c>, <c>x -= n</c>: the updated operand.</summary>
    public static ExpressionSyntax? InterlockedTarget(SyntaxNode node) => node switch
    {
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } post => post.Operand,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } pre => pre.Operand,
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression or (int)SyntaxKind.SubtractAssignmentExpression } assignment => assignment.Left,
        _ => null,
    };

    /// <summary>
    /// <c>_x ??= new X(…)</c>, or <c>if (_x == null) _x = new X(…);</c> (the node is the condition): the target, the
    /// value, and the node the repair replaces.
    /// </summary>
    public static (ExpressionSyntax Target, ExpressionSyntax Creation, SyntaxNode Replaced)? LazyInitialization(SyntaxNode node) => node switch
    {
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceAssignmentExpression } coalesce => (coalesce.Left, coalesce.Right, coalesce),
        ExpressionSyntax condition when condition.Parent is IfStatementSyntax { Else: null } ifStatement && ifStatement.Condition == condition
            && SingleStatement(ifStatement.Statement) is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment } =>
            (assignment.Left, assignment.Right, ifStatement),
        _ => null,
    };

    private static StatementSyntax? SingleStatement(StatementSyntax statement) =>
        statement is BlockSyntax block ? (block.Statements.Count == 1 ? block.Statements[0] : null) : statement;

    /// <summary>
    /// What the lock repair wraps: the expression body of a lambda holding the race, or the sibling statements from the
    /// one holding <paramref name="regionStart"/> (the earlier read) to the one holding the race. Null when no lock
    /// statement can hold them: they sit in different blocks, one of them awaits (no await inside a lock), the statement
    /// is a block, or there is no type to add a lock field to.
    /// </summary>
    public static (StatementSyntax? First, StatementSyntax? Last, LambdaExpressionSyntax? Lambda, ArrowExpressionClauseSyntax? Arrow) LockRegion(SyntaxNode node, int? regionStart)
    {
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is null)
            return default;

        var last = node.FirstAncestorOrSelf<StatementSyntax>();
        var lambda = node.FirstAncestorOrSelf<LambdaExpressionSyntax>();
        if (lambda is not null && lambda.ExpressionBody is { } body && body.Span.Contains(node.Span) && (last is null || !lambda.Span.Contains(last.Span)))
            return body is AwaitExpressionSyntax || ContainsAwait(body) ? default : (null, null, lambda, null);

        // An expression-bodied method, property, accessor or local function (void Undo(long n) => _total -= n;): the whole
        // body, which the fix turns into a block that runs (or returns) the expression under the lock. An async body cannot
        // be locked, and a static local function cannot reach an instance lock.
        if (node.FirstAncestorOrSelf<SyntaxNode>(n => n is ArrowExpressionClauseSyntax or AnonymousFunctionExpressionSyntax or StatementSyntax) is ArrowExpressionClauseSyntax
            {
                Parent: MethodDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax,
            } arrow)
        {
            bool isAsync = arrow.Parent is MethodDeclarationSyntax method && method.Modifiers.Any(SyntaxKind.AsyncKeyword)
                || arrow.Parent is LocalFunctionStatementSyntax local && (local.Modifiers.Any(SyntaxKind.AsyncKeyword) || local.Modifiers.Any(SyntaxKind.StaticKeyword));
            bool isRefReturn = arrow.Expression is RefExpressionSyntax;
            return isAsync || isRefReturn || ContainsAwait(arrow.Expression) ? default : (null, null, null, arrow);
        }

        if (last is null || last is BlockSyntax)
            return default;

        var first = last;
        if (regionStart is { } start && start < last.SpanStart)
        {
            // The read and the write-back may sit at different depths: lock the range of sibling statements holding both.
            var root = node.SyntaxTree.GetRoot();
            var startStatement = root.FindToken(start).Parent?.FirstAncestorOrSelf<StatementSyntax>();
            while (startStatement is not null && startStatement.Parent != last.Parent)
            {
                if (last.Parent is BlockSyntax && last.Parent.Span.Contains(startStatement.Span))
                {
                    last = last.Parent.ChildNodes().OfType<StatementSyntax>().FirstOrDefault(s => s.Span.Contains(node.Span)) ?? last;
                    break;
                }

                startStatement = startStatement.Parent?.FirstAncestorOrSelf<StatementSyntax>();
            }

            if (startStatement is null || startStatement.Parent != last.Parent)
                return default;
            first = startStatement;
        }

        if (first.Parent is not BlockSyntax block
            || ContainsAwait(block, TextSpan.FromBounds(first.SpanStart, last.Span.End))
            || DeclaresLocalsUsedAfter(block, first, last))
        {
            return default;
        }

        return (first, last, null, null);
    }

    /// <summary>A local declared in the statements a lock would hold and used after them would fall out of scope.</summary>
    public static bool DeclaresLocalsUsedAfter(BlockSyntax block, StatementSyntax first, StatementSyntax last)
    {
        int from = block.Statements.IndexOf(first);
        int to = block.Statements.IndexOf(last);
        var declared = new HashSet<string>();
        for (int i = from; i <= to; i++)
        {
            if (block.Statements[i] is LocalDeclarationStatementSyntax declaration)
            {
                foreach (var variable in declaration.Declaration.Variables)
                    declared.Add(variable.Identifier.ValueText);
            }
            else if (block.Statements[i] is LocalFunctionStatementSyntax localFunction)
            {
                declared.Add(localFunction.Identifier.ValueText);
            }
        }

        if (declared.Count == 0)
            return false;

        for (int i = to + 1; i < block.Statements.Count; i++)
        {
            if (block.Statements[i].DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => declared.Contains(n.Identifier.ValueText)))
                return true;
        }

        return false;
    }

    /// <summary>'await' is not allowed inside a lock body; such code needs an async lock, which is not a mechanical change.</summary>
    private static bool ContainsAwait(SyntaxNode scope, TextSpan? span = null) =>
        scope.DescendantNodesAndSelf(span ?? scope.Span).Any(n => span?.Contains(n.Span) != false && (n is AwaitExpressionSyntax
            || (n is ForEachStatementSyntax forEach && forEach.AwaitKeyword != default)
            || (n is UsingStatementSyntax usingStatement && usingStatement.AwaitKeyword != default)
            || (n is LocalDeclarationStatementSyntax declaration && declaration.AwaitKeyword != default)));
}

/// <summary>
/// A collection local mutated from a parallel body can become its System.Collections.Concurrent counterpart when every
/// use of the local is one the counterpart supports with the same meaning (List → ConcurrentBag when only added to,
/// counted and enumerated; Dictionary → ConcurrentDictionary; Queue → ConcurrentQueue; Stack → ConcurrentStack), and it
/// is created empty in its declaration.
/// </summary>
internal sealed class ConcurrentCollectionShape
{
    private ConcurrentCollectionShape(INamedTypeSymbol targetType, VariableDeclarationSyntax declaration, BaseObjectCreationExpressionSyntax creation)
    {
        TargetType = targetType;
        Declaration = declaration;
        Creation = creation;
    }

    public INamedTypeSymbol TargetType { get; }

    public VariableDeclarationSyntax Declaration { get; }

    public BaseObjectCreationExpressionSyntax Creation { get; }

    public static ConcurrentCollectionShape? TryFind(SemanticModel model, SyntaxNode mutation, CancellationToken cancellationToken)
    {
        var receiver = mutation switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression,
            AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax element } => element.Expression,
            _ => null,
        };

        if (receiver is null || model.GetSymbolInfo(receiver, cancellationToken).Symbol is not ILocalSymbol local
            || local.Type is not INamedTypeSymbol { IsGenericType: true } collectionType
            || !ConcurrencyCatalogue.For(model.Compilation).Collections.TryGetConcurrentCounterpart(collectionType, out var targetDefinition, out var sharedMembers)
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.Parent is not VariableDeclarationSyntax declaration
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax { Initializer: null } creation
            || creation.ArgumentList is { Arguments.Count: > 0 })
        {
            return null;
        }

        var targetType = targetDefinition.Construct(collectionType.TypeArguments.ToArray());
        var scope = declaration.FirstAncestorOrSelf<BlockSyntax>();
        return scope is not null && AllUsesSupported(model, scope, local, sharedMembers, targetType, cancellationToken)
            ? new ConcurrentCollectionShape(targetType, declaration, creation)
            : null;
    }

    private static bool AllUsesSupported(SemanticModel model, BlockSyntax scope, ILocalSymbol local, string[] members, ITypeSymbol targetType, CancellationToken cancellationToken)
    {
        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
                continue;

            bool supported = identifier.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == identifier =>
                    members.Contains(access.Name.Identifier.ValueText) || IsEnumerableExtension(model, access, cancellationToken),
                ElementAccessExpressionSyntax element when element.Expression == identifier => members.Contains("this[]"),
                ForEachStatementSyntax forEach when forEach.Expression == identifier => true,
                ArgumentSyntax argument => ArgumentAccepts(model, argument, targetType, cancellationToken),
                _ => false,
            };

            if (!supported)
                return false;
        }

        return true;
    }

    /// <summary>LINQ to Objects only reads the collection (enumerates it), which every counterpart supports.</summary>
    private static bool IsEnumerableExtension(SemanticModel model, MemberAccessExpressionSyntax access, CancellationToken cancellationToken) =>
        model.GetSymbolInfo(access, cancellationToken).Symbol is IMethodSymbol { IsExtensionMethod: true } method
        && KnownTypes.Is(method.ContainingType, ConcurrencyCatalogue.For(model.Compilation).Types.Enumerable);

    private static bool ArgumentAccepts(SemanticModel model, ArgumentSyntax argument, ITypeSymbol targetType, CancellationToken cancellationToken)
    {
        if (argument.Parent?.Parent is not InvocationExpressionSyntax invocation
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || argument.RefKindKeyword != default)
        {
            return false;
        }

        int index = ((ArgumentListSyntax)argument.Parent).Arguments.IndexOf(argument);
        var parameter = argument.NameColon is { } name
            ? method.Parameters.FirstOrDefault(p => p.Name == name.Name.Identifier.ValueText)
            : index < method.Parameters.Length ? method.Parameters[index] : method.Parameters.LastOrDefault();
        return parameter is not null && model.Compilation.ClassifyConversion(targetType, parameter.Type).IsImplicit;
    }
}

/// <summary>
/// A null check then use (LS1002) read once: the field is copied into a local declared just before the statement, and
/// the check and the reads it guards use the local (<c>var handler = _handler; if (handler != null) handler(x);</c>).
/// Offered only where that keeps what the code does on one thread: the statement sits in a block, nothing with a side
/// effect runs before the check in it, the guarded code runs once (no loop), holds no lock (a second read there is
/// deliberate), does not await, checks the field again or calls a member of the field's own type (which could change the
/// field in between), and the check is not inside a lambda of the statement.
/// </summary>
internal sealed class ReadOnceShape
{
    private ReadOnceShape(StatementSyntax statement, ExpressionSyntax source, ImmutableArray<ExpressionSyntax> reads, string name)
    {
        Statement = statement;
        Source = source;
        Reads = reads;
        Name = name;
    }

    /// <summary>The statement the local is declared before.</summary>
    public StatementSyntax Statement { get; }

    /// <summary>The read the local is initialised from (the checked one).</summary>
    public ExpressionSyntax Source { get; }

    /// <summary>Every read that becomes the local: the checked one and those the check guards.</summary>
    public ImmutableArray<ExpressionSyntax> Reads { get; }

    /// <summary>The local's preferred name, from the field's (<c>_handler</c> → <c>handler</c>).</summary>
    public string Name { get; }

    public static ReadOnceShape? TryFind(SemanticModel model, SyntaxNode checkNode, CancellationToken cancellationToken)
    {
        if (model.GetOperation(checkNode, cancellationToken) is not { } check
            || CheckThenActRecognizer.NonNullCheckOf(check) is not { } checkedRead
            || checkedRead.Syntax is not ExpressionSyntax source
            || AccessRecognizer.SymbolOf(checkedRead)?.OriginalDefinition is not { } location)
        {
            return null;
        }

        // The host: the if or ?: whose condition holds the check, or the outermost && it is a conjunct of.
        IOperation conjunction = check;
        while (conjunction.Parent is IParenthesizedOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd })
            conjunction = conjunction.Parent;
        var region = new List<SyntaxNode>();
        var conditional = conjunction.Parent as IConditionalOperation;
        if (conditional is not null && conditional.Condition != conjunction)
            conditional = null;
        if (conditional is { WhenTrue: { } whenTrue })
            region.Add(whenTrue.Syntax);
        if (conjunction == check && conditional is null)
            return null;
        region.Add(conjunction.Syntax); // the conjuncts after the check are in it; reads before the check are left alone

        SyntaxNode host = conditional?.Syntax ?? conjunction.Syntax;
        StatementSyntax? statement = host as StatementSyntax;
        for (var node = host.Parent; statement is null && node is not null; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax)
                return null;
            statement = node as StatementSyntax;
        }

        if (statement is not (IfStatementSyntax or ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax)
            || statement.Parent is not (BlockSyntax or SwitchSectionSyntax)
            || statement is IfStatementSyntax ifStatement && !ifStatement.Condition.Span.Contains(host.Span) && ifStatement != host)
        {
            return null;
        }

        // Nothing with an effect runs before the check in the statement: reading the field earlier changes nothing then.
        foreach (var earlier in statement.DescendantNodes(n => n.SpanStart < checkNode.SpanStart))
        {
            if (earlier.Span.End <= checkNode.SpanStart && HasEffect(earlier))
                return null;
        }

        var reads = new List<ExpressionSyntax> { source };
        foreach (var part in region)
        {
            foreach (var node in part.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                if (node is AwaitExpressionSyntax or LockStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or GotoStatementSyntax)
                    return null;
                if (node is InvocationExpressionSyntax invocation && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol called
                    && SymbolEqualityComparer.Default.Equals(called.ContainingType?.OriginalDefinition, location.ContainingType?.OriginalDefinition))
                {
                    return null;
                }

                if (node is not ExpressionSyntax expression || node.SpanStart <= checkNode.SpanStart || reads.Contains(expression)
                    || expression.Parent is MemberAccessExpressionSyntax { Name: var name } && name == expression
                    || model.GetOperation(expression, cancellationToken) is not { } read
                    || AccessRecognizer.SymbolOf(read)?.OriginalDefinition is not { } symbol || !SymbolEqualityComparer.Default.Equals(symbol, location))
                {
                    continue;
                }

                // Another object's field of the same name is not this one; a write or a second check rules the fix out.
                if (!SameInstance(read, checkedRead))
                    continue;
                var user = read.Parent;
                while (user is IConversionOperation or IParenthesizedOperation)
                    user = user.Parent;
                if (user is IAssignmentOperation assignment && assignment.Target == read
                    || user is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } or IIsPatternOperation)
                {
                    return null;
                }

                reads.Add(expression);
            }
        }

        return reads.Count > 1 ? new ReadOnceShape(statement, source, reads.ToImmutableArray(), LocalName(location.Name)) : null;
    }

    private static bool HasEffect(SyntaxNode node) => node is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax
        or AwaitExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }
        or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression };

    private static bool SameInstance(IOperation read, IOperation checkedRead)
    {
        static IOperation? InstanceOf(IOperation operation) => operation switch
        {
            IFieldReferenceOperation field => field.Instance,
            IPropertyReferenceOperation property => property.Instance,
            _ => null,
        };

        var first = InstanceOf(read);
        var second = InstanceOf(checkedRead);
        return first is null && second is null || first is IInstanceReferenceOperation && second is IInstanceReferenceOperation;
    }

    /// <summary><c>_handler</c>, <c>m_handler</c>, <c>s_handler</c> → <c>handler</c>; <c>Handler</c> → <c>handler</c>; a keyword gets a suffix.</summary>
    private static string LocalName(string member)
    {
        string name = member.Length > 2 && member[1] == '_' && member[0] is 'm' or 's' or 't' ? member.Substring(2) : member.TrimStart('_');
        if (name.Length == 0)
            return "value";
        name = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? name + "Value" : name;
    }
}
