using System;
using System.Collections.Generic;

namespace Lockstep.Panel;

/// <summary>The command line (see <see cref="Usage"/>).</summary>
public sealed class PanelOptions
{
    public const string Usage = """
        Lockstep real-code panel: every Lockstep analyzer over the library folders of public C# projects.

        dotnet run -c Release --project bench/Lockstep.Panel -- --panel bench/Lockstep.Panel/panel.json --sources DIR [options]

          --panel PATH        the panel file (default: bench/Lockstep.Panel/panel.json)
          --sources DIR       folder holding one extracted snapshot per library (panel "directory")
          --findings PATH     also write every finding, one per line (TSV), e.g. artifacts/panel/findings.tsv
          --verdicts PATH     join judged findings (TSV, e.g. bench/Lockstep.Panel/verdicts.tsv) and report precision per rule
          --library NAME      only this library (repeatable)
          --analyzers PATH    another build's Lockstep.Analyzers.dll instead of the one built with this tool
          --packages DIR      NuGet packages folder to take listed package references from (default: ~/.nuget/packages)
          --repetitions N     analyse each library N times and report median times (default 1; findings from the first)
          --no-warmup         skip the warm-up analysis (the first library's timings then include JIT time)
          --restore           restore every library's listed packages into --packages, then stop
          --print-extract     print the extract-snapshot.sh command for every library, then stop
          --mirrors DIR       with --print-extract: DIR/<owner>+<name>/repo is a fetched snapshot's git directory

        Exit code: 0; 1 if an analyzer threw (AD0001); 2 for a usage error.
        """;

    public string PanelPath { get; private set; } = "bench/Lockstep.Panel/panel.json";

    /// <summary>Judged findings to join with the run (<c>--verdicts</c>).</summary>
    public string? VerdictsPath { get; private set; }

    public string? Sources { get; private set; }

    public string? FindingsPath { get; private set; }

    public string? AnalyzerPath { get; private set; }

    public string PackagesRoot { get; private set; } = PackageFolders.DefaultRoot;

    public List<string> Libraries { get; } = new();

    public int Repetitions { get; private set; } = 1;

    public bool WarmUp { get; private set; } = true;

    public bool Restore { get; private set; }

    public bool PrintExtract { get; private set; }

    public string? Mirrors { get; private set; }

    public bool Help { get; private set; }

    public static PanelOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PanelOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--panel": options.PanelPath = Value(); break;
                case "--sources": options.Sources = Value(); break;
                case "--findings": options.FindingsPath = Value(); break;
                case "--verdicts": options.VerdictsPath = Value(); break;
                case "--library": options.Libraries.Add(Value()); break;
                case "--analyzers": options.AnalyzerPath = Value(); break;
                case "--packages": options.PackagesRoot = Value(); break;
                case "--repetitions": options.Repetitions = int.TryParse(Value(), out int n) && n > 0 ? n : throw new ArgumentException("--repetitions needs a positive number."); break;
                case "--no-warmup": options.WarmUp = false; break;
                case "--restore": options.Restore = true; break;
                case "--print-extract": options.PrintExtract = true; break;
                case "--mirrors": options.Mirrors = Value(); break;
                case "-h" or "--help": options.Help = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (!options.Help && !options.Restore && options.Sources is null)
        {
            throw new ArgumentException("--sources is required.");
        }

        return options;
    }
}
