using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// A thread start as the LS4001/LS4002 fixes rewrite it: <c>new Thread(work).Start(arg?);</c>, or
/// <c>var t = new Thread(work) { … }; [t.Name = …;] t.Start(arg?);</c> in one block. The analyzer checked the shape on
/// operations (ThreadCreationFixShapes); this reads the same shape on syntax.
/// </summary>
internal sealed class ThreadStartSyntax
{
    private ThreadStartSyntax(ExpressionStatementSyntax statement, ExpressionSyntax work, ExpressionSyntax? argument, IReadOnlyList<StatementSyntax> settings, bool isBackground)
    {
        Statement = statement;
        Work = work;
        Argument = argument;
        Settings = settings;
        IsBackground = isBackground;
    }

    /// <summary>The <c>t.Start(…);</c> statement.</summary>
    public ExpressionStatementSyntax Statement { get; }

    /// <summary>The delegate the thread runs.</summary>
    public ExpressionSyntax Work { get; }

    /// <summary>What <c>Start(arg)</c> passes, if anything.</summary>
    public ExpressionSyntax? Argument { get; }

    /// <summary>The thread's declaration and the statements that set its properties: they go with it.</summary>
    public IReadOnlyList<StatementSyntax> Settings { get; }

    /// <summary>The thread is made a background thread (<c>IsBackground = true</c>).</summary>
    public bool IsBackground { get; }

    /// <summary>The same start running <paramref name="work"/> instead (the work with its captured loop locals renamed to copies).</summary>
    public ThreadStartSyntax WithWork(ExpressionSyntax work) => new(Statement, work, Argument, Settings, IsBackground);

    public static ThreadStartSyntax? Of(InvocationExpressionSyntax start, SemanticModel model)
    {
        if (start.Parent is not ExpressionStatementSyntax statement || start.Expression is not MemberAccessExpressionSyntax access)
            return null;

        var argument = start.ArgumentList.Arguments.FirstOrDefault()?.Expression;
        var creation = access.Expression as BaseObjectCreationExpressionSyntax;
        var settings = new List<StatementSyntax>();
        bool isBackground = false;
        if (access.Expression is IdentifierNameSyntax thread && statement.Parent is BlockSyntax block)
        {
            foreach (var sibling in block.Statements)
            {
                if (sibling is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                    && declaration.Declaration.Variables[0].Identifier.ValueText == thread.Identifier.ValueText)
                {
                    creation = declaration.Declaration.Variables[0].Initializer?.Value as BaseObjectCreationExpressionSyntax;
                    settings.Add(sibling);
                }
                else if (sibling is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } property } assignment }
                    && target.Identifier.ValueText == thread.Identifier.ValueText)
                {
                    isBackground |= IsBackgroundTrue(model, property.Name, assignment.Right);
                    settings.Add(sibling);
                }
            }
        }

        if (creation?.ArgumentList?.Arguments.FirstOrDefault()?.Expression is not { } work)
            return null;

        foreach (var initializer in creation.Initializer?.Expressions ?? default)
        {
            if (initializer is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment)
                isBackground |= IsBackgroundTrue(model, name, assignment.Right);
        }

        return new ThreadStartSyntax(statement, work, argument, settings, isBackground);
    }

    private static bool IsBackgroundTrue(SemanticModel model, SimpleNameSyntax property, ExpressionSyntax value) =>
        value.IsKind(SyntaxKind.TrueLiteralExpression)
        && Catalogue.ConcurrencyCatalogue.For(model.Compilation).Starts.IsBackgroundFlag(model.GetSymbolInfo(property).Symbol);
}
