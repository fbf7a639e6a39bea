using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>
/// A fresh net10.0 console project outside the repository that installs only the Lockstep package from the run's
/// folder feed (the analyzers must arrive as its dependency), with its own NuGet package folder, and is built
/// once with a SARIF 2.1 error log. Created on first use by <see cref="PackedPackages.ConsumerAsync"/>.
/// </summary>
public sealed class ConsumerProject : IDisposable
{
    public const string ProjectName = "Consumer";
    public const string SleepStatement = "Thread.Sleep(100);";
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>An async method that sleeps synchronously: LS3001's first example.</summary>
    public const string ProgramSource =
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Consumer;

        public static class Program
        {
            public static async Task Main()
            {
                await PollAsync();
                Console.WriteLine("done");
            }

            private static async Task PollAsync()
            {
                await Task.Yield();
                Thread.Sleep(100);
            }
        }

        """;

    private static readonly Regex DiagnosticLine = new(
        @"^[ \t]*(?<path>[^\s(][^(\r\n]*)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error) (?<id>[A-Za-z]+\d+):",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private readonly TemporaryDirectory _root = new("lockstep-consumer");

    private ConsumerProject(PackedPackages packages)
    {
        Packages = packages;
        Environment = new Dictionary<string, string>
        {
            // Private to this run: a package cached under the same version by an earlier run can never be served.
            ["NUGET_PACKAGES"] = _root.Combine("nuget-packages"),
            ["NUGET_HTTP_CACHE_PATH"] = _root.Combine("nuget-http-cache"),
        };
    }

    public PackedPackages Packages { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string ProjectDirectory => _root.Combine(ProjectName);

    public string ProjectPath => Path.Combine(ProjectDirectory, ProjectName + ".csproj");

    public string SarifPath => _root.Combine("build.sarif");

    /// <summary>1-based line of <see cref="SleepStatement"/> in Program.cs.</summary>
    public static int SleepLine { get; } =
        ProgramSource.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList().FindIndex(l => l.Contains(SleepStatement, StringComparison.Ordinal)) + 1;

    public ProcessResult AddPackage { get; private set; } = null!;

    public ProcessResult Build { get; private set; } = null!;

    internal static async Task<ConsumerProject> CreateAsync(PackedPackages packages)
    {
        var consumer = new ConsumerProject(packages);
        try
        {
            await consumer.InitializeAsync().ConfigureAwait(false);
            return consumer;
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
    }

    /// <summary>Writes the project, with the package installed and the unfixed Program.cs, into a sibling folder; returns its path.</summary>
    public string WriteCopy(string directoryName)
    {
        string directory = _root.Combine(directoryName);
        Directory.CreateDirectory(directory);
        File.Copy(ProjectPath, Path.Combine(directory, ProjectName + ".csproj"));
        File.WriteAllText(Path.Combine(directory, "Program.cs"), ProgramSource);
        return directory;
    }

    public Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        DotNet.RunAsync(workingDirectory, arguments, CommandTimeout, Environment);

    /// <summary>Compiler diagnostics in MSBuild's console format: <c>path(line,col): warning ID: message [project]</c>.</summary>
    public static IReadOnlyList<(string Path, int Line, int Column, string Severity, string Id)> Diagnostics(string output) =>
        DiagnosticLine.Matches(output)
            .Select(m => (m.Groups["path"].Value.Trim(), int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["severity"].Value, m.Groups["id"].Value))
            .ToList();

    public void Dispose() => _root.Dispose();

    private async Task InitializeAsync()
    {
        // Stop MSBuild and NuGet from picking up anything above the temporary folder.
        File.WriteAllText(_root.Combine("Directory.Build.props"), "<Project />\n");
        File.WriteAllText(_root.Combine("Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(_root.Combine("Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(_root.Combine("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="lockstep-local" value="{Packages.FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="lockstep-local">
                  <package pattern="Lockstep" />
                  <package pattern="Lockstep.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>

            """);

        Directory.CreateDirectory(ProjectDirectory);
        File.WriteAllText(ProjectPath, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
            </Project>

            """);
        File.WriteAllText(Path.Combine(ProjectDirectory, "Program.cs"), ProgramSource);

        // The way a user installs it; this also restores.
        AddPackage = await RunAsync(ProjectDirectory, "add", ProjectPath, "package", PackedPackages.LibraryPackageId, "--version", Packages.Version).ConfigureAwait(false);
        if (!AddPackage.Succeeded)
            throw new InvalidOperationException("Installing Lockstep into a fresh project failed. " + AddPackage.Describe());

        // --no-incremental: an up-to-date compile step runs no analyzers and prints no warnings.
        Build = await RunAsync(
            ProjectDirectory,
            "build", ProjectPath, "--no-incremental", "--disable-build-servers", "-tl:off",
            "-p:ErrorLog=" + SarifPath + "%2Cversion=2.1").ConfigureAwait(false);
    }
}
