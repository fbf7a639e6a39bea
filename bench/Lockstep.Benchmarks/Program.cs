using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;
using Lockstep.Benchmarks.AnalyzerCost;
using Lockstep.Benchmarks.Corpus;

namespace Lockstep.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--analyzer-cost-quick"))
        {
            int repetitions = IntOption(args, "--repetitions") ?? 5;
            return QuickAnalyzerCost.Run(repetitions, Console.Out);
        }

        if (Array.IndexOf(args, "--corpus-diagnostics") is var listAt and >= 0)
        {
            string prefix = listAt + 1 < args.Length && !args[listAt + 1].StartsWith("--", StringComparison.Ordinal) ? args[listAt + 1] : "";
            return Findings.List(AnalyzerCostWorkload.Shared, prefix, Console.Out);
        }

        if (args.Contains("--corpus-check"))
        {
            return CorpusCheck(Console.Out);
        }

        if (Array.IndexOf(args, "--corpus-dump") is var dump and >= 0)
        {
            string directory = dump + 1 < args.Length ? args[dump + 1] : "corpus";
            return CorpusDump(directory, Console.Out);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        AnalyzerCostReport.PrintAfterBenchmarkDotNet(summaries, Console.Out);
        return 0;
    }

    private static int CorpusCheck(TextWriter output)
    {
        var workload = AnalyzerCostWorkload.Shared;
        output.WriteLine($"Corpus: {workload.Corpus.Files.Count} files, {workload.Corpus.LineCount:N0} lines, seed 0x{workload.Corpus.Seed:x}");
        output.WriteLine($"References: {workload.References.Length} from {workload.ReferenceSource}");
        output.WriteLine("Seeded pitfalls: " + string.Join(", ", workload.Corpus.SeededPitfalls.Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine("  by template: " + string.Join(", ", workload.Corpus.SeededPitfallTemplates.Select(p => $"{p.Key} {p.Value}")));
        var diagnostics = workload.CompilerDiagnostics();
        foreach (var group in diagnostics.GroupBy(d => d.Id).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{group.Key} x{group.Count()}: {group.First()}");
        }

        int errors = diagnostics.Count(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        output.WriteLine($"{errors} errors, {diagnostics.Length - errors} warnings");
        return errors == 0 ? 0 : 1;
    }

    private static int CorpusDump(string directory, TextWriter output)
    {
        var corpus = CorpusGenerator.Generate();
        foreach (var file in corpus.Files)
        {
            string path = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text);
        }

        output.WriteLine($"Wrote {corpus.Files.Count} files ({corpus.LineCount:N0} lines) to {Path.GetFullPath(directory)}");
        return 0;
    }

    private static int? IntOption(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : null;
    }
}
