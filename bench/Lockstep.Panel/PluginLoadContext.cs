using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Lockstep.Panel;

/// <summary>
/// Loads compiler plug-ins from their own folder: another build's Lockstep.Analyzers.dll (for a before/after comparison)
/// or a source generator shipped in the reference pack or a package. Roslyn and every assembly of the running framework
/// come from the default context, so a plug-in's <c>DiagnosticAnalyzer</c> or <c>IIncrementalGenerator</c> is the type
/// the driver knows; only what the framework lacks comes from the plug-in's folder.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<HashSet<string>> FrameworkAssemblies = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private readonly string _directory;

    public PluginLoadContext(string directory)
        : base("Lockstep.Panel plug-ins from " + directory, isCollectible: false)
    {
        _directory = directory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string name = assemblyName.Name ?? "";
        if (FrameworkAssemblies.Value.Contains(name))
        {
            return null;
        }

        string candidate = Path.Combine(_directory, name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
