using System.IO;
using Lockstep.Benchmarks.AnalyzerCost;

namespace Lockstep.Panel;

/// <summary>
/// Where the analyzers come from: by default the Lockstep.Analyzers.dll this tool was built with (the working tree's
/// rules); with <c>--analyzers PATH</c> another build of it. Either way every analyzer is found by reflection, as in the
/// analyzer benchmark, so a new rule is on the panel the day it lands.
/// </summary>
public static class AnalyzerSource
{
    public static AnalyzerCatalog Load(string? analyzerPath, out string description)
    {
        if (analyzerPath is null)
        {
            var assembly = AnalyzerCatalog.AnalyzerAssembly;
            description = assembly.Location;
            return AnalyzerCatalog.Discover(assembly);
        }

        string full = Path.GetFullPath(analyzerPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"No analyzer assembly at {full}.", full);
        }

        var context = new PluginLoadContext(Path.GetDirectoryName(full)!);
        description = full + " (loaded beside the built-in analyzers)";
        return AnalyzerCatalog.Discover(context.LoadFromAssemblyPath(full));
    }
}
