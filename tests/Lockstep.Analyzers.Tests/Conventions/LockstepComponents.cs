using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>Every analyzer, fixer and descriptor the two shipped assemblies contain, found by reflection.</summary>
internal static class LockstepComponents
{
    public static Assembly AnalyzerAssembly { get; } = typeof(Descriptors).Assembly;

    public static Assembly CodeFixAssembly { get; } = typeof(Lockstep.Analyzers.Rules.AsyncBlocking.BlockingSleepInAsyncCodeFixer).Assembly;

    public static ImmutableArray<Type> AnalyzerTypes { get; } = ConcreteSubtypes<DiagnosticAnalyzer>(AnalyzerAssembly);

    public static ImmutableArray<Type> FixerTypes { get; } = ConcreteSubtypes<CodeFixProvider>(CodeFixAssembly);

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixers { get; } =
        FixerTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

    /// <summary>Every descriptor declared on <see cref="Descriptors"/>.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToImmutableArray();

    public static IEnumerable<object[]> DescriptorCases() => Descriptors.Select(d => new object[] { d.Id });

    public static DiagnosticDescriptor Descriptor(string id) => Descriptors.Single(d => d.Id == id);

    private static ImmutableArray<Type> ConcreteSubtypes<T>(Assembly assembly) =>
        assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.FullName).ToImmutableArray();
}
