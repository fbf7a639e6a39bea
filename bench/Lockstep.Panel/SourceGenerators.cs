using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Lockstep.Panel;

/// <summary>
/// The source generators a build of the library would run that ship with the framework or a listed package
/// (<c>[LoggerMessage]</c>, <c>[GeneratedRegex]</c>, <c>[LibraryImport]</c>, System.Text.Json…). Without them every
/// generated partial is a compiler error and the analyzers see less of the code. A library's own generators are not
/// run: that would mean building third-party code.
/// </summary>
public sealed class SourceGenerators
{
    /// <summary>
    /// Generators the SDK leaves out unless a project opts in (the configuration binder needs
    /// <c>EnableConfigurationBindingGenerator</c>, and its interceptors a feature flag a bare compile lacks).
    /// </summary>
    private static readonly HashSet<string> OptInOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Extensions.Configuration.Binder.SourceGeneration",
    };

    private readonly ConcurrentDictionary<string, PluginLoadContext> _contexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ISourceGenerator>> _byAssembly = new(StringComparer.Ordinal);

    /// <summary>Assemblies that failed to load or instantiate, with the reason; reported, never fatal.</summary>
    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<ISourceGenerator> From(IEnumerable<string> assemblyPaths) =>
        assemblyPaths
            .Where(p => !OptInOnly.Contains(Path.GetFileNameWithoutExtension(p)))
            .SelectMany(p => _byAssembly.GetOrAdd(p, Load))
            .ToList();

    /// <summary>
    /// The folder of a package's generators that this Roslyn can run: <c>analyzers/dotnet/roslyn{X.Y}/cs</c> with the
    /// highest X.Y not above the running compiler, else <c>analyzers/dotnet/cs</c>.
    /// </summary>
    public static string? PackageGeneratorFolder(string packageVersionDirectory)
    {
        string dotnet = Path.Combine(packageVersionDirectory, "analyzers", "dotnet");
        if (!Directory.Exists(dotnet))
        {
            return null;
        }

        var compiler = typeof(Compilation).Assembly.GetName().Version!;
        var versioned = Directory.GetDirectories(dotnet, "roslyn*")
            .Select(d => (Path: Path.Combine(d, "cs"), Version: Version.TryParse(Path.GetFileName(d)["roslyn".Length..], out var v) ? v : null))
            .Where(d => d.Version is not null && d.Version <= compiler && Directory.Exists(d.Path))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Path)
            .FirstOrDefault();
        string plain = Path.Combine(dotnet, "cs");
        return versioned ?? (Directory.Exists(plain) ? plain : null);
    }

    private IReadOnlyList<ISourceGenerator> Load(string path)
    {
        try
        {
            var context = _contexts.GetOrAdd(Path.GetDirectoryName(path)!, d => new PluginLoadContext(d));
            var assembly = context.LoadFromAssemblyPath(path);
            return Types(assembly)
                .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<GeneratorAttribute>() is { } a && a.Languages.Contains(LanguageNames.CSharp))
                .Select(Instantiate)
                .OfType<ISourceGenerator>()
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or FileLoadException or TargetInvocationException or MissingMethodException or TypeLoadException)
        {
            Failures[path] = ex.GetType().Name + ": " + ex.Message;
            return Array.Empty<ISourceGenerator>();
        }
    }

    private static ISourceGenerator? Instantiate(Type type) =>
        Activator.CreateInstance(type) switch
        {
            IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
            ISourceGenerator generator => generator,
            _ => null,
        };

    private static IEnumerable<Type> Types(Assembly assembly)
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
}
