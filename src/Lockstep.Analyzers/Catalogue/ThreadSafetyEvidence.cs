using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Whether a type shows that it is meant to be used from several threads at once: it takes a lock, holds a lock
/// primitive or a concurrent collection, has a <c>volatile</c> field, uses <c>Interlocked</c> or <c>Volatile</c>, carries
/// <c>[RunsConcurrently]</c>, or its documentation says it is thread-safe. In such a type its members may be called
/// concurrently with each other by code Lockstep does not see (its callers), which is where most of a library's
/// concurrency comes from. Worked out once per type.
/// </summary>
internal sealed class ThreadSafetyEvidence
{
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _byType = new(SymbolEqualityComparer.Default);

    public ThreadSafetyEvidence(KnownTypes types) => _types = types;

    public bool ShowsConcurrentUse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        type = type.OriginalDefinition;
        if (_byType.TryGetValue(type, out bool known))
            return known;
        return _byType.GetOrAdd(type, Compute(type, cancellationToken));
    }

    private bool Compute(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (KnownTypes.Is(attribute.AttributeClass, _types.RunsConcurrentlyAttribute))
                return true;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: false } field && (field.IsVolatile || IsConcurrencyPrimitive(field.Type)))
                return true;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (declaration.HasLeadingTrivia && SaysThreadSafe(declaration.GetLeadingTrivia().ToFullString()))
                return true;

            // Most types never write "lock", "Interlocked" (which contains it) or "Volatile": a scan of the text settles
            // them without building the syntax nodes of the whole type.
            if (!Mentions(declaration.SyntaxTree.GetText(cancellationToken), declaration.Span, "lock", "Volatile"))
                continue;

            foreach (var node in declaration.DescendantNodes(n => n is not BaseTypeDeclarationSyntax || n == declaration))
            {
                switch (node)
                {
                    case LockStatementSyntax:
                        return true;
                    case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Interlocked" or "Volatile" } }:
                        return true;
                }
            }
        }

        return false;
    }

    /// <summary>A lock primitive of the BCL or the runtime library, or a concurrent collection or channel.</summary>
    private bool IsConcurrencyPrimitive(ITypeSymbol type) =>
        KnownTypes.Is(type, _types.Lock) || KnownTypes.Is(type, _types.SemaphoreSlim) || KnownTypes.IsOrDerivesFrom(type, _types.Mutex)
        || KnownTypes.Is(type, _types.ReaderWriterLockSlim) || KnownTypes.Is(type, _types.SpinLock)
        || KnownTypes.Is(type, _types.AsyncLock) || KnownTypes.Is(type, _types.OrderedLock)
        || Namespaces.Is(type.ContainingNamespace, "System", "Collections", "Concurrent")
        || Namespaces.Is(type.ContainingNamespace, "System", "Threading", "Channels");

    /// <summary>Whether <paramref name="span"/> of <paramref name="text"/> contains <paramref name="first"/> or <paramref name="second"/> (ordinal).</summary>
    private static bool Mentions(SourceText text, TextSpan span, string first, string second)
    {
        const int chunk = 4096;
        int overlap = System.Math.Max(first.Length, second.Length) - 1;
        var buffer = new char[chunk + overlap];
        for (int start = span.Start; start < span.End; start += chunk)
        {
            int count = System.Math.Min(chunk + overlap, span.End - start);
            text.CopyTo(start, buffer, 0, count);
            var window = new string(buffer, 0, count);
            if (window.IndexOf(first, System.StringComparison.Ordinal) >= 0 || window.IndexOf(second, System.StringComparison.Ordinal) >= 0)
                return true;
        }

        return false;
    }

    private static bool SaysThreadSafe(string comment) =>
        comment.IndexOf("thread-safe", System.StringComparison.OrdinalIgnoreCase) >= 0
        || comment.IndexOf("thread safe", System.StringComparison.OrdinalIgnoreCase) >= 0;
}
