using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// For every virtual, abstract or interface method declared in the compilation, the methods of the compilation that
/// override or implement it, found in one pass over the compilation's types. Methods declared outside the compilation
/// are not indexed on purpose: a call of <c>IDisposable.Dispose()</c> or <c>object.ToString()</c> could reach every
/// implementation in the program, and following all of them would accuse code the call never runs.
/// </summary>
internal sealed class Implementations
{
    private readonly Dictionary<IMethodSymbol, List<IMethodSymbol>> _byMember = new(SymbolEqualityComparer.Default);

    public Implementations(Compilation compilation, CancellationToken cancellationToken)
    {
        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(compilation.Assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = types.Pop();
            foreach (var member in current.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol nested)
                    types.Push(nested);
            }

            if (current is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                Index(type, compilation);
        }

        foreach (var list in _byMember.Values)
            list.Sort(CompareLocation);
    }

    /// <summary>The methods that may run when <paramref name="member"/> is called: overrides and implementations in the compilation.</summary>
    public IReadOnlyList<IMethodSymbol> Of(IMethodSymbol member) =>
        _byMember.TryGetValue(member.OriginalDefinition, out var list) ? list : (IReadOnlyList<IMethodSymbol>)ImmutableArray<IMethodSymbol>.Empty;

    private void Index(INamedTypeSymbol type, Compilation compilation)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || method.IsAbstract || method.DeclaringSyntaxReferences.IsEmpty)
                continue;

            for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (IsDeclaredIn(overridden, compilation))
                    Add(overridden, method);
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (!IsDeclaredIn(@interface, compilation))
                continue;

            foreach (var member in @interface.GetMembers())
            {
                if (member is IMethodSymbol interfaceMethod
                    && type.FindImplementationForInterfaceMember(interfaceMethod) is IMethodSymbol { IsAbstract: false } implementation
                    && !implementation.DeclaringSyntaxReferences.IsEmpty)
                {
                    Add(interfaceMethod, implementation);
                }
            }
        }
    }

    private void Add(IMethodSymbol member, IMethodSymbol implementation)
    {
        var key = member.OriginalDefinition;
        if (!_byMember.TryGetValue(key, out var list))
            _byMember.Add(key, list = new List<IMethodSymbol>());

        var value = implementation.OriginalDefinition;
        foreach (var known in list)
        {
            if (SymbolEqualityComparer.Default.Equals(known, value))
                return;
        }

        list.Add(value);
    }

    private static bool IsDeclaredIn(ISymbol symbol, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, compilation.Assembly);

    /// <summary>Source order (file, then position), so every walk over implementations is deterministic.</summary>
    public static int CompareLocation(ISymbol x, ISymbol y)
    {
        var left = x.Locations.Length > 0 ? x.Locations[0] : Location.None;
        var right = y.Locations.Length > 0 ? y.Locations[0] : Location.None;
        int byFile = string.CompareOrdinal(left.SourceTree?.FilePath, right.SourceTree?.FilePath);
        return byFile != 0 ? byFile : left.SourceSpan.Start.CompareTo(right.SourceSpan.Start);
    }
}
