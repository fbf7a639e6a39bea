using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5003: introduces a private readonly lock field and uses it at every lock site of the type that locked the same
/// weak object (lock statements and Monitor.Enter/TryEnter/Exit/Wait/Pulse calls alike, so pairs stay matched).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnWeakIdentityObjectFixer))]
public sealed class LockOnWeakIdentityObjectFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS5003.PrivateLockObject";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockOnWeakIdentityObject);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
            EditorFixAllProvider.Register(context, diagnostic, "Lock on a private readonly object", EquivalenceKey, ApplyAsync);
        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        if (node is not ExpressionSyntax lockedExpression
            || lockedExpression.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetOperation(lockedExpression, cancellationToken) is not { } locked)
        {
            return Task.CompletedTask;
        }

        var subject = SubjectKey(locked);
        if (subject is null)
            return Task.CompletedTask;

        // Every site of the type that locks the same object moves to the new field together.
        var sites = new List<(ExpressionSyntax Expression, bool IsMonitorCall, bool IsStaticContext)>();
        foreach (var candidate in type.DescendantNodes().Where(n => n is LockStatementSyntax or InvocationExpressionSyntax))
        {
            if (model.GetOperation(candidate, cancellationToken) is not { } operation || WeakLockSubject.LockedValue(operation, ConcurrencyCatalogue.For(model.Compilation).Locks) is not { } value)
                continue;
            if (!Equals(SubjectKey(value), subject) || value.Syntax is not ExpressionSyntax expression)
                continue;
            // In a nested type, this (or GetType()) is another object: its sites keep their own lock, and an instance field
            // of the outer type would not even be in scope there.
            if (!subject.Value.SharedAcrossInstances && candidate.FirstAncestorOrSelf<TypeDeclarationSyntax>() != type)
                continue;

            var member = model.GetEnclosingSymbol(candidate.SpanStart, cancellationToken);
            sites.Add((expression, operation is IInvocationOperation, member is not null && WeakLockSubject.IsStaticContext(member)));
        }

        if (sites.Count == 0)
            return Task.CompletedTask;

        bool isStatic = sites.Any(s => s.IsStaticContext) || subject.Value.SharedAcrossInstances;
        string field = LockWrapping.NewLockField(editor, type, isStatic, monitorOnly: sites.Any(s => s.IsMonitorCall));
        foreach (var site in sites)
        {
            if (LockWrapping.MarkReplaced(editor, site.Expression))
                editor.ReplaceNode(site.Expression, IdentifierName(field).WithTriviaFrom(site.Expression));
        }

        return Task.CompletedTask;
    }

    /// <summary>Identifies "the same weak object": <c>this</c>, one type's Type object, one symbol or constant.</summary>
    private static (string Key, bool SharedAcrossInstances)? SubjectKey(IOperation value)
    {
        if (value is IConversionOperation { Operand.Type.IsValueType: true, Type.IsReferenceType: true } boxing)
            value = boxing.Operand;
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        return value switch
        {
            IInstanceReferenceOperation => ("this", false),
            ITypeOfOperation typeOf => ("typeof:" + typeOf.TypeOperand.ToDisplayString(), true),
            IInvocationOperation getType when ConcurrencyCatalogue.For(getType.SemanticModel!.Compilation).Locks.IsGetType(getType) => ("GetType", false),
            { ConstantValue: { HasValue: true, Value: string text } } => ("string:" + text, true),
            IFieldReferenceOperation field => ("field:" + field.Field.ToDisplayString(), field.Field.IsStatic || field.Type?.SpecialType == SpecialType.System_String),
            ILocalReferenceOperation local => ("local:" + local.Local.Name + "@" + local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.Span.Start, false),
            IParameterReferenceOperation parameter => ("parameter:" + parameter.Parameter.ToDisplayString(), false),
            IPropertyReferenceOperation property => ("property:" + property.Property.ToDisplayString(), property.Property.IsStatic),
            _ => null,
        };
    }
}
