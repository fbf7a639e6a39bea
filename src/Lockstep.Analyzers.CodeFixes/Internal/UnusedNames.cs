using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Names for the locals and lambda parameters the fixes introduce: not in scope where they go, not declared by a
/// statement of the same block (whose scope is the whole block), and, for locals declared in a block, not given out
/// earlier in the same Fix All for that block, so Fix All names them exactly as applying the fixes one by one does
/// (<c>slots</c>, then <c>slots2</c>).
/// </summary>
internal static class UnusedNames
{
    private static readonly ConditionalWeakTable<DocumentEditor, HashSet<(SyntaxNode Block, string Name)>> Given = new();

    /// <summary>A local declared by a statement of the block that holds <paramref name="at"/>.</summary>
    public static string ForBlockLocal(DocumentEditor editor, StatementSyntax at, string name)
    {
        var block = at.Parent ?? at;
        var given = Given.GetValue(editor, _ => new HashSet<(SyntaxNode, string)>());
        string candidate = Pick(editor.SemanticModel, at, name, n => given.Contains((block, n)));
        given.Add((block, candidate));
        return candidate;
    }

    /// <summary>A local whose scope is one statement (a for or foreach variable) placed next to <paramref name="at"/>.</summary>
    public static string ForStatementLocal(DocumentEditor editor, StatementSyntax at, string name)
    {
        var given = Given.GetValue(editor, _ => new HashSet<(SyntaxNode, string)>());
        return Pick(editor.SemanticModel, at, name, n => given.Contains((at.Parent ?? at, n)));
    }

    /// <summary>A lambda parameter's name: not in scope where the lambda goes and not used in its body.</summary>
    public static string ForParameter(SemanticModel model, SyntaxNode at, SyntaxNode body, string name)
    {
        var used = new HashSet<string>(body.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        string candidate = name;
        for (int i = 2; used.Contains(candidate) || model.LookupSymbols(at.SpanStart, name: candidate).Any(); i++)
            candidate = name + i;
        return candidate;
    }

    private static string Pick(SemanticModel model, SyntaxNode at, string name, System.Func<string, bool> taken)
    {
        var declared = new HashSet<string>();
        if (at.Parent is BlockSyntax block)
        {
            foreach (var statement in block.Statements.OfType<LocalDeclarationStatementSyntax>())
            {
                foreach (var variable in statement.Declaration.Variables)
                    declared.Add(variable.Identifier.ValueText);
            }
        }

        string candidate = name;
        for (int i = 2; declared.Contains(candidate) || taken(candidate) || model.LookupSymbols(at.SpanStart, name: candidate).Any(); i++)
            candidate = name + i;
        return candidate;
    }
}
