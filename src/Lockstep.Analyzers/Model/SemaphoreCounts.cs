using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Whether a <c>SemaphoreSlim</c> is created with a count of one (<c>new SemaphoreSlim(1, 1)</c>, <c>new(1)</c>): such a
/// semaphore admits one holder at a time and is a lock; any other count makes it a signal or a throttle.
/// </summary>
internal static class SemaphoreCounts
{
    public static bool IsSingleCount(ExpressionSyntax initializer)
    {
        if (initializer is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } || arguments.Count is not (1 or 2))
            return false;

        foreach (var argument in arguments)
        {
            if (argument.Expression is not LiteralExpressionSyntax { Token.ValueText: "1" })
                return false;
        }

        return true;
    }
}
