using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Lockstep.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>What one measured run produced: enough to check the run did what it claims.</summary>
public readonly record struct RunResult(bool EmitSucceeded, int CompilerErrors, ImmutableArray<Diagnostic> AnalyzerDiagnostics, int AnalyzerExceptions);

/// <summary>
/// The fixed inputs of every measurement (pre-parsed syntax trees, metadata references, options, discovered analyzers)
/// and the two operations measured: a plain compile, and a compile with a set of analyzers.
/// </summary>
public sealed class AnalyzerCostWorkload
{
    private static readonly Lazy<AnalyzerCostWorkload> SharedInstance = new(() => Create(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ConcurrentQueue<(DiagnosticAnalyzer Analyzer, Exception Exception)> _exceptions = new();

    private AnalyzerCostWorkload(
        GeneratedCorpus corpus,
        ImmutableArray<SyntaxTree> trees,
        ImmutableArray<MetadataReference> references,
        string referenceSource,
        CSharpCompilationOptions options,
        AnalyzerCatalog catalog)
    {
        Corpus = corpus;
        Trees = trees;
        References = references;
        ReferenceSource = referenceSource;
        Options = options;
        Catalog = catalog;
    }

    /// <summary>One instance per process: BenchmarkDotNet runs every case in-process, and the inputs never change.</summary>
    public static AnalyzerCostWorkload Shared => SharedInstance.Value;

    public GeneratedCorpus Corpus { get; }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>Where the framework references came from (reference pack folder or trusted platform assemblies).</summary>
    public string ReferenceSource { get; }

    public CSharpCompilationOptions Options { get; }

    public AnalyzerCatalog Catalog { get; }

    /// <summary>Analyzer exceptions seen so far (AD0001), with the analyzer that threw.</summary>
    public IReadOnlyCollection<(DiagnosticAnalyzer Analyzer, Exception Exception)> AnalyzerExceptions => _exceptions;

    public static AnalyzerCostWorkload Create(ulong seed = CorpusGenerator.DefaultSeed)
    {
        var corpus = CorpusGenerator.Generate(seed);
        // Roslyn 4.5 (the analyzers' floor) knows C# 11 at most.
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp11, DocumentationMode.None);
        var trees = corpus.Files
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, parseOptions, path: f.Path, encoding: System.Text.Encoding.UTF8))
            .ToImmutableArray();
        var references = ReferenceAssemblies.Load(out string referenceSource);
        var catalog = AnalyzerCatalog.Discover();

        // Force every Lockstep diagnostic on, whatever its default, so disabled-by-default rules are measured too.
        var forceOn = catalog.DiagnosticIds
            .Append(FloorAnalyzers.DriverFloorId)
            .Append(FloorAnalyzers.OperationFloorId)
            .ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn, StringComparer.Ordinal)
            // As the .NET SDK does (NoWarn 1701;1702): the runtime library targets net8.0, the corpus net10.0.
            .SetItem("CS1701", ReportDiagnostic.Suppress)
            .SetItem("CS1702", ReportDiagnostic.Suppress);

        var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: true,
                deterministic: true)
            .WithSpecificDiagnosticOptions(forceOn);

        return new AnalyzerCostWorkload(corpus, trees, references, referenceSource, options, catalog);
    }

    private static int _warmedUp;

    /// <summary>
    /// Once per process, before anything is measured: 32 compiles with every analyzer (the operation floor while there
    /// are none) of a 4-file slice of the corpus, then one full compile of each kind.
    /// </summary>
    /// <remarks>
    /// Tiered compilation promotes a method to optimized code after 30 calls, and many of Roslyn's methods run once per
    /// compilation. Warmed up with a few full compiles only, the first benchmark of a BenchmarkDotNet process measured
    /// about 2.0 s whichever benchmark it was, and the later ones 1.4-1.7 s, so the baseline looked slower than the
    /// driver floor. A small compilation gets every such method past 30 calls in a few seconds.
    /// </remarks>
    public void WarmUpProcess()
    {
        if (Interlocked.Exchange(ref _warmedUp, 1) == 1)
        {
            return;
        }

        var analyzers = Catalog.All.IsEmpty ? ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer()) : Catalog.All;
        var slice = Trees.Take(4).ToImmutableArray(); // the two shared files and two entity files
        // A compile with analyzers also runs the compiler's diagnostics and emit, so it warms the plain compile's paths too.
        for (int i = 0; i < 32; i++)
        {
            CompileWithAnalyzers(NewCompilation(slice), analyzers, logExecutionTime: false);
        }

        Compile();
        CompileWithAnalyzers(analyzers);
    }

    public CSharpCompilation NewCompilation() => NewCompilation(Trees);

    private CSharpCompilation NewCompilation(ImmutableArray<SyntaxTree> trees) =>
        CSharpCompilation.Create("LockstepBenchmarkCorpus", trees, References, Options);

    /// <summary>The compilation's own work: all compiler diagnostics, then emit.</summary>
    public RunResult Compile() => Compile(NewCompilation());

    private static RunResult Compile(CSharpCompilation compilation)
    {
        var diagnostics = compilation.GetDiagnostics();
        bool emitted = Emit(compilation);
        return new RunResult(emitted, diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error), ImmutableArray<Diagnostic>.Empty, 0);
    }

    /// <summary>
    /// A fresh compilation with <paramref name="analyzers"/> attached (concurrent analysis): all compiler and analyzer
    /// diagnostics, then emit.
    /// </summary>
    public RunResult CompileWithAnalyzers(ImmutableArray<DiagnosticAnalyzer> analyzers, bool logExecutionTime = false) =>
        CompileWithAnalyzers(NewCompilation(), analyzers, logExecutionTime);

    private RunResult CompileWithAnalyzers(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool logExecutionTime)
    {
        int exceptionsBefore = _exceptions.Count;
        var analysisOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => _exceptions.Enqueue((analyzer, exception)),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: logExecutionTime,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, analysisOptions);
        var diagnostics = withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        bool emitted = Emit(compilation);
        return new RunResult(
            emitted,
            diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error),
            diagnostics.Where(d => d.Id != "AD0001" && !IsCompilerDiagnostic(d)).ToImmutableArray(),
            _exceptions.Count - exceptionsBefore);
    }

    /// <summary>
    /// One analysis (no emit) with execution time logging on: Roslyn's per-analyzer time inside callbacks, summed over
    /// threads. For the relative weight of analyzers, not for the cost of a build (see <see cref="CompileWithAnalyzers(ImmutableArray{DiagnosticAnalyzer}, bool)"/>).
    /// </summary>
    public AnalysisResult AnalyzeWithTelemetry(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var analysisOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => _exceptions.Enqueue((analyzer, exception)),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        return NewCompilation().WithAnalyzers(analyzers, analysisOptions).GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Compiler errors and warnings of the corpus (it must have no errors; warnings are reported for information).</summary>
    public ImmutableArray<Diagnostic> CompilerDiagnostics() =>
        NewCompilation().GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    private static bool IsCompilerDiagnostic(Diagnostic diagnostic) =>
        diagnostic.Id.StartsWith("CS", StringComparison.Ordinal) && diagnostic.Id.Skip(2).All(char.IsDigit);

    private static bool Emit(Compilation compilation)
    {
        using var peStream = new MemoryStream(4 * 1024 * 1024);
        EmitResult result = compilation.Emit(peStream);
        return result.Success;
    }
}
