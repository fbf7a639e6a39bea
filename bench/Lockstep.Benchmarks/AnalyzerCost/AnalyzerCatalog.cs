using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>The analyzers of one family: every analyzer that reports a descriptor of <see cref="Category"/>.</summary>
public sealed record AnalyzerFamily(string Name, string Category, ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableHashSet<string> DiagnosticIds);

/// <summary>
/// Every C# <see cref="DiagnosticAnalyzer"/> in the Lockstep.Analyzers assembly, found by reflection so a new rule is
/// benchmarked the day it lands, grouped into families by the category of its descriptors.
/// </summary>
public sealed class AnalyzerCatalog
{
    private const string CategoryPrefix = "Lockstep.";

    private AnalyzerCatalog(ImmutableArray<DiagnosticAnalyzer> all, IReadOnlyList<AnalyzerFamily> families)
    {
        All = all;
        Families = families;
        DiagnosticIds = all.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet(StringComparer.Ordinal);
    }

    public static Assembly AnalyzerAssembly => typeof(Lockstep.Analyzers.Categories).Assembly;

    public ImmutableArray<DiagnosticAnalyzer> All { get; }

    /// <summary>Families in the order of the constants in <c>Lockstep.Analyzers.Categories</c>; empty ones left out.</summary>
    public IReadOnlyList<AnalyzerFamily> Families { get; }

    public ImmutableHashSet<string> DiagnosticIds { get; }

    public AnalyzerFamily Family(string name) =>
        Families.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"No analyzer family '{name}'.", nameof(name));

    public static AnalyzerCatalog Discover() => Discover(AnalyzerAssembly);

    public static AnalyzerCatalog Discover(Assembly assembly)
    {
        var analyzers = LoadableTypes(assembly)
            .Where(IsCSharpAnalyzer)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        // An analyzer that reports descriptors of several categories counts in each of those families.
        var byCategory = new Dictionary<string, List<DiagnosticAnalyzer>>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            var categories = analyzer.SupportedDiagnostics.Select(d => d.Category).Distinct(StringComparer.Ordinal).ToList();
            if (categories.Count == 0)
            {
                categories.Add("(no descriptors)");
            }

            foreach (string category in categories)
            {
                if (!byCategory.TryGetValue(category, out var list))
                {
                    byCategory[category] = list = new List<DiagnosticAnalyzer>();
                }

                list.Add(analyzer);
            }
        }

        var order = KnownCategories(assembly);
        var families = byCategory
            .OrderBy(kv => order.IndexOf(kv.Key) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AnalyzerFamily(
                ShortName(kv.Key),
                kv.Key,
                kv.Value.ToImmutableArray(),
                kv.Value.SelectMany(a => a.SupportedDiagnostics).Where(d => d.Category == kv.Key).Select(d => d.Id).ToImmutableHashSet(StringComparer.Ordinal)))
            .ToList();

        return new AnalyzerCatalog(analyzers, families);
    }

    /// <summary>Family name as used in benchmark parameters and tables: the category without <c>Lockstep.</c>.</summary>
    public static string ShortName(string category) =>
        category.StartsWith(CategoryPrefix, StringComparison.Ordinal) ? category[CategoryPrefix.Length..] : category;

    private static bool IsCSharpAnalyzer(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        && typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null
        && type.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp));

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    /// <summary>The category constants, in declaration order, so tables list families in band order.</summary>
    private static List<string> KnownCategories(Assembly assembly) =>
        assembly.GetType("Lockstep.Analyzers.Categories")?
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList() ?? new List<string>();
}
