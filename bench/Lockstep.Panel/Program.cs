using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lockstep.Panel;

public static class Program
{
    public static int Main(string[] args)
    {
        PanelOptions options;
        PanelDefinition panel;
        try
        {
            options = PanelOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(PanelOptions.Usage);
                return 0;
            }

            panel = PanelDefinition.Load(options.PanelPath);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(PanelOptions.Usage);
            return 2;
        }

        var libraries = Select(panel, options.Libraries);
        if (libraries is null)
        {
            Console.Error.WriteLine($"No library named {string.Join(", ", options.Libraries)} in {options.PanelPath}; it has {string.Join(", ", panel.Libraries.Select(l => l.Name))}.");
            return 2;
        }

        if (options.Restore)
        {
            return PackageRestorer.Restore(libraries, options.PackagesRoot, Console.Out);
        }

        if (options.PrintExtract)
        {
            PrintExtract(libraries, options);
            return 0;
        }

        return Run(panel, libraries, options);
    }

    private static int Run(PanelDefinition panel, List<PanelLibrary> libraries, PanelOptions options)
    {
        var total = Stopwatch.StartNew();
        string sources = Path.GetFullPath(options.Sources!);
        var missing = libraries.Where(l => !Directory.Exists(Path.Combine(sources, l.Directory))).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"Not extracted under {sources}: {string.Join(", ", missing.Select(l => l.Name))}. Fetch each repository, then run:");
            PrintExtract(missing, options, Console.Error);
            return 2;
        }

        var catalog = AnalyzerSource.Load(options.AnalyzerPath, out string analyzerDescription);
        var referencePack = ReferencePack.Find();
        var analysis = new LibraryAnalysis(panel, catalog, referencePack, new PackageFolders(options.PackagesRoot));
        var output = Console.Out;

        output.WriteLine("# Lockstep real-code panel");
        output.WriteLine();
        output.WriteLine($"- Panel: `{options.PanelPath}`, {libraries.Count} of {panel.Libraries.Count} libraries, sources in `{sources}`");
        output.WriteLine($"- Analyzers: {catalog.All.Length} from `{analyzerDescription}`; {catalog.DiagnosticIds.Count} rules (those disabled by default forced on): {string.Join(", ", catalog.DiagnosticIds.OrderBy(id => id, StringComparer.Ordinal))}");
        output.WriteLine($"- Compiler: Roslyn {typeof(Compilation).Assembly.GetName().Version}, C# 14, nullable on, unsafe allowed; symbols {string.Join(" ", panel.Defines)} (+ each library's own)");
        output.WriteLine($"- References: {referencePack.Assemblies.Count} assemblies from `{referencePack.Directory}`; listed packages from `{options.PackagesRoot}`");
        output.WriteLine($"- Timing: analysis repeated {options.Repetitions} time(s) per library, medians reported");
        output.WriteLine($"- Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}; load average at start {PanelReport.LoadAverage()}");

        if (options.WarmUp)
        {
            // Roslyn's and the analyzers' code is jitted on first use; without this the first library pays for it.
            var warmUp = Stopwatch.StartNew();
            analysis.Run(libraries[0], sources, repetitions: 1, maxFiles: 60);
            output.WriteLine($"- Warm-up: the first 60 files of {libraries[0].Name} analysed once, {warmUp.Elapsed.TotalSeconds:F0} s");
        }

        output.WriteLine();
        var results = new List<LibraryResult>();
        foreach (var library in libraries)
        {
            Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {library.Name}…");
            results.Add(analysis.Run(library, sources, options.Repetitions));
            var r = results[^1];
            Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {library.Name}: {r.Files} files, {r.Lines:N0} lines, {r.CompilerErrors} compiler errors, {r.Findings.Count} findings ({r.WarningLevelFindings} Warning-level), {r.AnalysisWallTime.TotalSeconds:F1} s, {r.Exceptions.Count} analyzer exceptions");
            GC.Collect();
        }

        PanelReport.WriteExceptions(output, results);
        output.WriteLine();
        PanelReport.WriteTotals(output, results);
        if (options.VerdictsPath is not null)
            Verdicts.Write(output, results, Verdicts.Read(options.VerdictsPath), options.VerdictsPath);

        output.WriteLine("## Per library");
        output.WriteLine();
        foreach (var result in results)
        {
            PanelReport.WriteLibraryDetails(output, result);
        }

        if (options.FindingsPath is not null)
        {
            FindingsWriter.Write(options.FindingsPath, results);
            output.WriteLine($"Findings written to `{options.FindingsPath}` ({results.Sum(r => r.Findings.Count)} lines).");
        }

        foreach (var (path, reason) in analysis.GeneratorFailures)
        {
            output.WriteLine($"Source generator not run: {path}: {reason}");
        }

        output.WriteLine($"Finished in {total.Elapsed.TotalMinutes:F1} min; load average at end {PanelReport.LoadAverage()}.");
        PanelReport.WriteExceptions(output, results);
        return results.Any(r => r.Exceptions.Count > 0) ? 1 : 0;
    }

    private static List<PanelLibrary>? Select(PanelDefinition panel, List<string> names)
    {
        if (names.Count == 0)
        {
            return panel.Libraries;
        }

        var selected = panel.Libraries.Where(l => names.Contains(l.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        return selected.Count == names.Count ? selected : null;
    }

    private static void PrintExtract(IEnumerable<PanelLibrary> libraries, PanelOptions options, TextWriter? writer = null)
    {
        writer ??= Console.Out;
        string sources = options.Sources ?? "SOURCES";
        foreach (var library in libraries)
        {
            string mirror = options.Mirrors is null
                ? $"<git dir of the fetched github:{library.Repository}>"
                : Path.Combine(options.Mirrors, library.Repository.Replace('/', '+'), "repo");
            writer.WriteLine($"bench/Lockstep.Panel/extract-snapshot.sh {mirror} {library.Commit} {Path.Combine(sources, library.Directory)} {string.Join(' ', library.Folders.Concat(library.ReferenceFolders))}");
        }
    }
}
