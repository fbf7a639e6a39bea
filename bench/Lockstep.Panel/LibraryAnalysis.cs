using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Lockstep.Benchmarks.AnalyzerCost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Panel;

/// <summary>
/// Runs one library through the panel: parse its files at C# 14 with the panel's and the library's preprocessor
/// symbols, compile against the net10.0 reference pack plus whatever listed packages and reference folders are present,
/// run the framework's and the packages' source generators, count compiler errors, then analyse (generated code
/// included, as in a build) with every Lockstep analyzer forced on and execution times logged.
/// </summary>
public sealed class LibraryAnalysis
{
    private const string GlobalUsingsFileName = "<panel global usings>.g.cs";

    private readonly PanelDefinition _panel;
    private readonly AnalyzerCatalog _catalog;
    private readonly ReferencePack _referencePack;
    private readonly PackageFolders _packages;
    private readonly ImmutableArray<MetadataReference> _frameworkReferences;
    private readonly SourceGenerators _generators = new();

    public LibraryAnalysis(PanelDefinition panel, AnalyzerCatalog catalog, ReferencePack referencePack, PackageFolders packages)
    {
        _panel = panel;
        _catalog = catalog;
        _referencePack = referencePack;
        _packages = packages;
        // Metadata references are immutable and shared by every compilation, as the compiler server shares them.
        _frameworkReferences = referencePack.Assemblies.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    /// <summary>
    /// Analyses <paramref name="library"/>; with <paramref name="repetitions"/> above 1 the analysis is repeated and
    /// its times are medians, which a machine shared with other builds needs.
    /// </summary>
    public LibraryResult Run(PanelLibrary library, string sourcesRoot, int repetitions = 1, int maxFiles = int.MaxValue)
    {
        string root = Path.Combine(sourcesRoot, library.Directory);
        var files = SourceCollector.Collect(root, library, _panel.SkipFolders).Take(maxFiles).ToList();

        var parse = Stopwatch.StartNew();
        var parseOptions = new CSharpParseOptions(
            LanguageVersion.CSharp14,
            // Parse doc comments as a build with GenerateDocumentationFile does: a rule may read "thread-safe" in them.
            DocumentationMode.Parse,
            SourceCodeKind.Regular,
            _panel.Defines.Concat(library.Defines).Distinct(StringComparer.Ordinal));
        var trees = files
            .AsParallel()
            .AsOrdered()
            .Select(f => Parse(f, parseOptions))
            .ToList();
        int lines = trees.Sum(t => t.GetText().Lines.Count);
        var usings = GlobalUsings(library);
        if (usings is not null)
        {
            trees.Add(CSharpSyntaxTree.ParseText(usings, parseOptions, path: GlobalUsingsFileName, encoding: Encoding.UTF8));
        }

        parse.Stop();

        var (packageReferences, packageAssemblies, generatorPaths, missing) = PackageReferences(library);
        var options = CompilationOptions(library);
        string assemblyName = library.AssemblyName.Length > 0 ? library.AssemblyName : LastSegment(library.Folders[0]);
        var references = packageReferences.AddRange(ReferenceFolders(library, assemblyName, root, parseOptions, packageReferences, generatorPaths, options));

        // What a build compiles: the library's files plus what the framework's and its packages' generators add.
        var generate = Stopwatch.StartNew();
        var generated = Generate(CSharpCompilation.Create(assemblyName, trees, references, options), generatorPaths, parseOptions);
        generate.Stop();
        trees.AddRange(generated);

        var compile = Stopwatch.StartNew();
        var compilerDiagnostics = CSharpCompilation.Create(assemblyName, trees, references, options).GetDiagnostics();
        compile.Stop();
        var errors = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var topErrors = errors
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(5)
            .Select(g => new CompilerErrorGroup(g.Key, g.Count(), Describe(g.First(), root)))
            .ToList();

        var exceptions = new ConcurrentQueue<AnalyzerException>();
        var analysisOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(new AnalyzerException(library.Name, analyzer.GetType().Name, exception.ToString())),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);

        // Each round analyses a fresh compilation: CompilationWithAnalyzers binds its own copy anyway, and this keeps
        // the compile and analysis timings apart. Findings come from the first round; later rounds only time.
        var walls = new List<TimeSpan>();
        var cpus = new List<TimeSpan>();
        var analyzerTimes = new Dictionary<string, List<TimeSpan>>(StringComparer.Ordinal);
        ImmutableArray<Diagnostic> diagnostics = default;
        for (int round = 0; round < Math.Max(1, repetitions); round++)
        {
            var withAnalyzers = CSharpCompilation.Create(assemblyName, trees, references, options).WithAnalyzers(_catalog.All, analysisOptions);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var analysis = Stopwatch.StartNew();
            var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
            analysis.Stop();
            cpus.Add(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
            walls.Add(analysis.Elapsed);
            foreach (var group in result.AnalyzerTelemetryInfo.GroupBy(kv => kv.Key.GetType().Name, StringComparer.Ordinal))
            {
                if (!analyzerTimes.TryGetValue(group.Key, out var list))
                {
                    analyzerTimes[group.Key] = list = new List<TimeSpan>();
                }

                list.Add(group.Aggregate(TimeSpan.Zero, (sum, kv) => sum + kv.Value.ExecutionTime));
            }

            if (round == 0)
            {
                diagnostics = result.GetAllDiagnostics();
            }
        }

        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Enqueue(new AnalyzerException(library.Name, "(AD0001)", ad0001.GetMessage(CultureInfo.InvariantCulture)));
        }

        var findings = diagnostics
            .Where(d => _catalog.DiagnosticIds.Contains(d.Id))
            .Select(d => ToFinding(library, root, d))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.Column)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ToList();

        return new LibraryResult
        {
            Library = library,
            Files = files.Count,
            Lines = lines,
            CompilerErrors = errors.Count,
            TopCompilerErrors = topErrors,
            PackageAssemblies = packageAssemblies,
            MissingPackages = missing,
            GeneratedFiles = generated.Count,
            GeneratorTime = generate.Elapsed,
            ParseTime = parse.Elapsed,
            CompileTime = compile.Elapsed,
            AnalysisRounds = walls.Count,
            AnalysisWallTime = Median(walls),
            AnalysisCpuTime = Median(cpus),
            AnalyzerTimes = analyzerTimes.ToDictionary(kv => kv.Key, kv => Median(kv.Value), StringComparer.Ordinal),
            Findings = findings,
            Exceptions = exceptions.Distinct().ToList(),
        };
    }

    private static SyntaxTree Parse(SourceFile file, CSharpParseOptions options)
    {
        using var stream = File.OpenRead(file.FullPath);
        // Encoding detected from the byte order mark, UTF-8 otherwise, as the compiler does.
        var text = SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256);
        return CSharpSyntaxTree.ParseText(text, options, file.FullPath);
    }

    private string? GlobalUsings(PanelLibrary library)
    {
        var namespaces = (library.ImplicitUsings ? _panel.ImplicitUsings : Enumerable.Empty<string>()).Concat(library.Usings).Distinct(StringComparer.Ordinal).ToList();
        return namespaces.Count == 0 ? null : string.Concat(namespaces.Select(n => $"global using global::{n};\n"));
    }

    private (ImmutableArray<MetadataReference> References, int PackageAssemblies, List<string> Generators, List<string> Missing) PackageReferences(PanelLibrary library)
    {
        var missing = new List<string>();
        var assemblies = new List<string>();
        var generators = new List<string>(_referencePack.Generators);
        foreach (string spec in library.Packages)
        {
            var package = _packages.Resolve(spec, _referencePack.AssemblyNames);
            if (package is null)
            {
                missing.Add(spec);
            }
            else
            {
                assemblies.AddRange(package.Assemblies);
                generators.AddRange(package.Generators);
            }
        }

        // Two packages may carry the same assembly (a facade and its implementation package): keep the first. The
        // same holds for generators: several Microsoft.Extensions packages ship the same one.
        var distinct = assemblies.GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        var distinctGenerators = generators.GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        var references = _frameworkReferences.AddRange(distinct.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
        return (references, distinct.Count, distinctGenerators, missing);
    }

    /// <summary>
    /// The library's referenced projects, each compiled on its own (errors and all: a compilation reference needs no
    /// emit) and named after its folder so the library sees what they make visible to it.
    /// </summary>
    private IEnumerable<MetadataReference> ReferenceFolders(PanelLibrary library, string assemblyName, string root, CSharpParseOptions parseOptions, ImmutableArray<MetadataReference> references, List<string> generatorPaths, CSharpCompilationOptions options)
    {
        var built = new List<MetadataReference>();
        foreach (string folder in library.ReferenceFolders)
        {
            var trees = SourceCollector.CollectReference(root, library, folder, _panel.SkipFolders)
                .AsParallel()
                .AsOrdered()
                .Select(f => Parse(f, parseOptions))
                .ToList();
            // Its project grants the library InternalsVisibleTo through MSBuild items, which generate an attribute no
            // bare compile has. Granting it here can only remove errors from the library, never hide a finding in it.
            trees.Add(CSharpSyntaxTree.ParseText(
                $"[assembly: global::System.Runtime.CompilerServices.InternalsVisibleTo(\"{assemblyName}\")]\n",
                parseOptions,
                path: "<panel internals visible to>.g.cs",
                encoding: Encoding.UTF8));
            var compilation = CSharpCompilation.Create(LastSegment(folder), trees, references.AddRange(built), options);
            var generated = Generate(compilation, generatorPaths, parseOptions);
            built.Add(compilation.AddSyntaxTrees(generated).ToMetadataReference());
        }

        return built;
    }

    private List<SyntaxTree> Generate(CSharpCompilation compilation, List<string> generatorPaths, CSharpParseOptions parseOptions)
    {
        var generators = _generators.From(generatorPaths);
        if (generators.Count == 0)
        {
            return new List<SyntaxTree>();
        }

        var driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions).RunGenerators(compilation);
        return driver.GetRunResult().GeneratedTrees.ToList();
    }

    /// <summary>Generator assemblies that could not be loaded, for the report.</summary>
    public IReadOnlyDictionary<string, string> GeneratorFailures => _generators.Failures;

    private CSharpCompilationOptions CompilationOptions(PanelLibrary library)
    {
        // Every Lockstep rule on, whatever its default, so rules a user must turn on are measured too. Rules enabled by
        // default keep the severity each diagnostic is reported with (a rule may report some findings at a lower
        // confidence tier than its descriptor's default), so only the rules disabled by default are forced on.
        var disabledByDefault = _catalog.All
            .SelectMany(a => a.SupportedDiagnostics)
            .Where(d => !d.IsEnabledByDefault)
            .Select(d => d.Id)
            .Distinct(StringComparer.Ordinal);
        var specific = disabledByDefault
            .ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn, StringComparer.Ordinal)
            .SetItem("CS1701", ReportDiagnostic.Suppress)
            .SetItem("CS1702", ReportDiagnostic.Suppress)
            .SetItems(library.NoWarn.Select(id => new KeyValuePair<string, ReportDiagnostic>(id, ReportDiagnostic.Suppress)));
        return new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: true,
                deterministic: true)
            .WithSpecificDiagnosticOptions(specific);
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.OrderBy(t => t).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LastSegment(string folder) => folder.TrimEnd('/', '\\').Split('/', '\\')[^1];

    private static Finding ToFinding(PanelLibrary library, string root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return new Finding(
            library.Name,
            RelativePath(root, span.Path),
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            diagnostic.Id,
            DefaultLevels.Of(diagnostic),
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    private static string Describe(Diagnostic diagnostic, string root)
    {
        var span = diagnostic.Location.GetLineSpan();
        string where = span.Path.Length == 0 ? "" : $"{RelativePath(root, span.Path)}({span.StartLinePosition.Line + 1}): ";
        return where + diagnostic.GetMessage(CultureInfo.InvariantCulture);
    }

    private static string RelativePath(string root, string path) =>
        path.Length == 0 || !Path.IsPathRooted(path) ? path : Path.GetRelativePath(root, path).Replace('\\', '/');
}
