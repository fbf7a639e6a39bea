using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Wraps statements in <c>lock (…) { … }</c>, reusing the type's lock object when it has exactly one and otherwise
/// adding <c>private readonly Lock _sync = new();</c> (<c>object</c> where <c>System.Threading.Lock</c> does not
/// exist or the language version is below C# 13). State is kept per editor so that Fix All adds one lock field per type and never wraps a statement twice.
/// </summary>
internal static class LockWrapping
{
    private static readonly ConditionalWeakTable<DocumentEditor, EditorState> States = new();

    /// <summary>The statements from <paramref name="first"/> to <paramref name="last"/> (siblings in one block) become one locked block.</summary>
    public static bool TryWrap(DocumentEditor editor, StatementSyntax first, StatementSyntax last, bool isStatic, IReadOnlyList<StatementSyntax>? movedBefore = null) =>
        TryWrap(editor, first, last, type => LockFor(editor, States.GetValue(editor, _ => new EditorState()), type, isStatic), movedBefore);

    /// <summary>Wraps one statement in <c>lock (<paramref name="lockName"/>)</c>, the lock a contract or the other accesses name.</summary>
    public static bool TryWrapWith(DocumentEditor editor, StatementSyntax statement, string lockName) =>
        TryWrap(editor, statement, statement, _ => lockName);

    private static bool TryWrap(DocumentEditor editor, StatementSyntax first, StatementSyntax last, System.Func<TypeDeclarationSyntax, string> chooseLock, IReadOnlyList<StatementSyntax>? movedBefore = null)
    {
        var state = States.GetValue(editor, _ => new EditorState());
        if (first.Parent != last.Parent || first.Parent is not BlockSyntax || ContainsAwait(first, last) || state.Wrapped.Any(w => w.Span.Contains(first.Span) || first.Span.Contains(w.Span)))
            return false;

        if (first.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            return false;

        string lockName = chooseLock(type);
        var all = first == last ? new[] { first } : StatementsBetween(first, last);
        state.Wrapped.AddRange(all);
        var outside = movedBefore ?? System.Array.Empty<StatementSyntax>();
        var statements = all.Where(s => !outside.Contains(s)).ToArray();
        if (statements.Length == 0)
            return false;

        // A moved statement nested in a branch leaves the branch: out of a block it goes, a branch of its own becomes { }.
        var nested = outside.Where(o => !all.Contains(o)).ToList();
        var originals = statements;
        statements = statements.Select(s => WithoutStatements(s, nested)).ToArray();

        // Keep the line structure between the statements; the formatter re-indents them inside the new block.
        var inner = statements.Select((s, i) => i == 0 ? s.WithLeadingTrivia(ElasticMarker) : s).ToArray();
        inner[inner.Length - 1] = inner[inner.Length - 1].WithTrailingTrivia(ElasticMarker);
        var body = Block(inner);
        ExpressionSyntax lockExpression = lockName == "this" ? ThisExpression() : ParseExpression(lockName);
        var lockStatement = LockStatement(lockExpression, body)
            .WithLeadingTrivia(statements[0].GetLeadingTrivia())
            .WithTrailingTrivia(statements[statements.Length - 1].GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        // Statements that leave the region (sleeps) go in front of the lock, in their order.
        foreach (var moved in outside)
        {
            editor.InsertBefore(originals[0], moved.WithoutLeadingTrivia().WithAdditionalAnnotations(Formatter.Annotation));
            if (all.Contains(moved))
                editor.RemoveNode(moved);
        }

        editor.ReplaceNode(originals[0], lockStatement);
        foreach (var other in originals.Skip(1))
            editor.RemoveNode(other);
        return true;
    }

    private static StatementSyntax WithoutStatements(StatementSyntax statement, IReadOnlyList<StatementSyntax> removed)
    {
        var inside = removed.Where(r => statement.Span.Contains(r.Span)).ToList();
        if (inside.Count == 0)
            return statement;

        var marked = statement.ReplaceNodes(inside, (original, _) => original.Parent is BlockSyntax ? EmptyStatement().WithAdditionalAnnotations(RemovedMarker) : Block());
        return marked.RemoveNodes(marked.GetAnnotatedNodes(RemovedMarker), SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    private static readonly SyntaxAnnotation RemovedMarker = new();

    /// <summary>An expression-bodied lambda (<c>i => total += i</c>) gets a block body holding the locked statement.</summary>
    public static bool TryWrapLambdaBody(DocumentEditor editor, LambdaExpressionSyntax lambda, bool isStatic)
    {
        var state = States.GetValue(editor, _ => new EditorState());
        if (lambda.ExpressionBody is not { } expression || expression is AwaitExpressionSyntax || lambda.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            return false;

        string lockName = LockFor(editor, state, type, isStatic);
        var locked = LockStatement(IdentifierName(lockName), Block(ExpressionStatement(expression.WithoutTrivia())));
        var newLambda = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => (LambdaExpressionSyntax)simple.WithExpressionBody(null).WithBlock(Block(locked)),
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithExpressionBody(null).WithBlock(Block(locked)),
            _ => lambda,
        };
        editor.ReplaceNode(lambda, newLambda.WithAdditionalAnnotations(Formatter.Annotation));
        return true;
    }

    /// <summary>
    /// <c>long Peek() =&gt; _balance;</c> → <c>long Peek() { lock (_sync) { return _balance; } }</c>; a property's expression body
    /// becomes its getter, an accessor's its block. Void members and setters run the expression as a statement.
    /// </summary>
    public static bool TryWrapExpressionBody(DocumentEditor editor, ArrowExpressionClauseSyntax arrow, bool isStatic, System.Threading.CancellationToken cancellationToken) =>
        arrow.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type
        && TryWrapExpressionBody(editor, arrow, LockFor(editor, States.GetValue(editor, _ => new EditorState()), type, isStatic), cancellationToken);

    public static bool TryWrapExpressionBody(DocumentEditor editor, ArrowExpressionClauseSyntax arrow, string lockName, System.Threading.CancellationToken cancellationToken)
    {
        if (!MarkReplaced(editor, arrow))
            return false;

        ExpressionSyntax lockExpression = lockName == "this" ? ThisExpression() : ParseExpression(lockName);
        BlockSyntax LockedBlock(bool returns) => Block(LockStatement(lockExpression, Block(returns
            ? ReturnStatement(arrow.Expression.WithoutTrivia())
            : ExpressionStatement(arrow.Expression.WithoutTrivia()))));

        SyntaxNode? replacement = arrow.Parent switch
        {
            MethodDeclarationSyntax method => method
                .WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(LockedBlock(editor.SemanticModel.GetDeclaredSymbol(method, cancellationToken) is not { ReturnsVoid: true })),
            PropertyDeclarationSyntax property => property
                .WithExpressionBody(null).WithSemicolonToken(default)
                .WithAccessorList(AccessorList(SingletonList(AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, LockedBlock(returns: true))))),
            IndexerDeclarationSyntax indexer => indexer
                .WithExpressionBody(null).WithSemicolonToken(default)
                .WithAccessorList(AccessorList(SingletonList(AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, LockedBlock(returns: true))))),
            LocalFunctionStatementSyntax local => local
                .WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(LockedBlock(editor.SemanticModel.GetDeclaredSymbol(local, cancellationToken) is not IMethodSymbol { ReturnsVoid: true })),
            AccessorDeclarationSyntax accessor => accessor
                .WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(LockedBlock(accessor.IsKind(SyntaxKind.GetAccessorDeclaration))),
            _ => null,
        };

        if (replacement is null)
            return false;

        editor.ReplaceNode(arrow.Parent!, replacement.WithTriviaFrom(arrow.Parent!).WithAdditionalAnnotations(Formatter.Annotation));
        return true;
    }

    private static StatementSyntax[] StatementsBetween(StatementSyntax first, StatementSyntax last)
    {
        var siblings = first.Parent!.ChildNodes().OfType<StatementSyntax>().ToList();
        int from = siblings.IndexOf(first);
        int to = siblings.IndexOf(last);
        return siblings.Skip(from).Take(to - from + 1).ToArray();
    }

    private static bool ContainsAwait(StatementSyntax first, StatementSyntax last)
    {
        // 'await' is not allowed inside a lock body; such code needs an async lock, which is not a mechanical change.
        var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(first.SpanStart, last.Span.End);
        return first.Parent!.DescendantNodes(span).Any(n => n is AwaitExpressionSyntax
            || (n is ForEachStatementSyntax forEach && forEach.AwaitKeyword != default)
            || (n is UsingStatementSyntax usingStatement && usingStatement.AwaitKeyword != default));
    }

    /// <summary>The name of the lock object to use in <paramref name="type"/>, adding a field the first time it is needed.</summary>
    private static string LockFor(DocumentEditor editor, EditorState state, TypeDeclarationSyntax type, bool isStatic)
    {
        var key = (type, isStatic);
        if (state.Locks.TryGetValue(key, out var known))
            return known;

        string name = ExistingLock(editor.SemanticModel, type, isStatic) ?? AddLockField(editor, type, isStatic);
        state.Locks[key] = name;
        return name;
    }

    /// <summary>The single field the type already locks on, with the right static-ness; none when there are several.</summary>
    private static string? ExistingLock(SemanticModel model, TypeDeclarationSyntax type, bool isStatic)
    {
        var candidates = new HashSet<string>();
        foreach (var lockStatement in type.DescendantNodes().OfType<LockStatementSyntax>())
        {
            if (model.GetSymbolInfo(lockStatement.Expression).Symbol is IFieldSymbol { IsReadOnly: true } field
                && (field.IsStatic || !isStatic)
                && type.SyntaxTree == field.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree
                && SymbolEqualityComparer.Default.Equals(field.ContainingType, model.GetDeclaredSymbol(type)))
            {
                candidates.Add(field.Name);
            }
        }

        return candidates.Count == 1 ? candidates.Single() : null;
    }

    /// <summary>
    /// Adds a new private readonly lock field to <paramref name="type"/> once per editor and returns its name.
    /// <paramref name="monitorOnly"/> forces <c>object</c>: a <c>System.Threading.Lock</c> passed to Monitor methods
    /// triggers the compiler's warning about unintended monitor locking.
    /// </summary>
    public static string NewLockField(DocumentEditor editor, TypeDeclarationSyntax type, bool isStatic, bool monitorOnly)
    {
        var state = States.GetValue(editor, _ => new EditorState());
        var key = (type, isStatic);
        if (state.NewFields.TryGetValue(key, out var known))
            return known;

        string name = AddLockField(editor, type, isStatic, monitorOnly);
        state.NewFields[key] = name;
        state.Locks[key] = name;
        return name;
    }

    private static string AddLockField(DocumentEditor editor, TypeDeclarationSyntax type, bool isStatic, bool monitorOnly = false)
    {
        var typeSymbol = editor.SemanticModel.GetDeclaredSymbol(type);
        string baseName = isStatic ? "s_sync" : "_sync";
        string name = baseName;
        for (int i = 2; typeSymbol is not null && typeSymbol.GetMembers(name).Length > 0; i++)
            name = baseName + i;

        var lockType = monitorOnly || !SupportsLockType(type.SyntaxTree) ? null : ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.Lock;
        TypeSyntax fieldType = lockType is null
            ? PredefinedType(Token(SyntaxKind.ObjectKeyword))
            : ((TypeSyntax)editor.Generator.TypeExpression(lockType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);

        var modifiers = TokenList(Token(SyntaxKind.PrivateKeyword));
        if (isStatic)
            modifiers = modifiers.Add(Token(SyntaxKind.StaticKeyword));
        modifiers = modifiers.Add(Token(SyntaxKind.ReadOnlyKeyword));

        var field = FieldDeclaration(
                VariableDeclaration(fieldType)
                    .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(NewInstance(type, fieldType)))))
            .WithModifiers(modifiers)
            .WithAdditionalAnnotations(Formatter.Annotation);

        editor.InsertMembers(type, 0, new[] { field });
        return name;
    }

    /// <summary>Marks a node as replaced by this editor; false when an earlier fix in the same Fix All already did.</summary>
    public static bool MarkReplaced(DocumentEditor editor, SyntaxNode node) =>
        States.GetValue(editor, _ => new EditorState()).Replaced.Add(node);

    /// <summary>
    /// Marks nodes that one fix rewrites together; false, marking nothing, when any of them overlaps a node an earlier fix
    /// of the same Fix All rewrote (that fix moved or removed it, so this one would edit a node that is gone).
    /// </summary>
    public static bool MarkAllReplaced(DocumentEditor editor, IReadOnlyList<SyntaxNode> nodes)
    {
        var replaced = States.GetValue(editor, _ => new EditorState()).Replaced;
        if (replaced.Any(r => nodes.Any(n => n.Span.OverlapsWith(r.Span) || r.Span.Contains(n.Span) || n.Span.Contains(r.Span))))
            return false;
        foreach (var node in nodes)
            replaced.Add(node);
        return true;
    }

    /// <summary>
    /// <c>lock</c> on a <c>System.Threading.Lock</c> is an error before C# 13 (CS9058), so the type must exist and the
    /// language must be new enough. Compared by number: this assembly is built against Roslyn 4.5, whose enum stops at C# 11.
    /// </summary>
    private static bool SupportsLockType(SyntaxTree tree) =>
        tree.Options is CSharpParseOptions options && (int)options.LanguageVersion >= 1300 && options.LanguageVersion != LanguageVersion.Latest;

    /// <summary><c>new()</c> from C# 9 on, <c>new T()</c> before.</summary>
    private static ExpressionSyntax NewInstance(TypeDeclarationSyntax type, TypeSyntax fieldType) =>
        type.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp9 }
            ? ImplicitObjectCreationExpression()
            : ObjectCreationExpression(fieldType.WithoutAnnotations(Simplifier.AddImportsAnnotation)).WithArgumentList(ArgumentList());

    private sealed class EditorState
    {
        public Dictionary<(TypeDeclarationSyntax Type, bool IsStatic), string> Locks { get; } = new();
        public List<StatementSyntax> Wrapped { get; } = new();
        public Dictionary<(TypeDeclarationSyntax Type, bool IsStatic), string> NewFields { get; } = new();
        public HashSet<SyntaxNode> Replaced { get; } = new();
    }
}
