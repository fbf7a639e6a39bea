using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>
/// A folder outside the repository for projects a test writes itself: MSBuild and NuGet pick up nothing from above it,
/// packages restore into a private folder (a package cached under the same version by an earlier run is never served),
/// and, when feeds are given, a nuget.config takes Lockstep packages from them and everything else from nuget.org.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly TemporaryDirectory _root;

    public ScratchFolder(string prefix, params string[] localFeeds)
    {
        _root = new TemporaryDirectory(prefix);
        File.WriteAllText(Combine("Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Combine("Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Combine("Directory.Packages.props"), "<Project />\n");
        if (localFeeds.Length > 0)
            File.WriteAllText(Combine("nuget.config"), NuGetConfig(localFeeds));

        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Combine("nuget-packages"),
            ["NUGET_HTTP_CACHE_PATH"] = Combine("nuget-http-cache"),
        };
    }

    public string Path => _root.Path;

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string Combine(params string[] parts) => _root.Combine(parts);

    public Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        DotNet.RunAsync(workingDirectory, arguments, ConsumerProject.CommandTimeout, Environment);

    public void Dispose() => _root.Dispose();

    /// <summary>Lockstep packages (and the test's own, named Scratch.*) from the local feeds; the rest from nuget.org.</summary>
    private static string NuGetConfig(IEnumerable<string> feeds)
    {
        var sources = new System.Text.StringBuilder();
        var patterns = new System.Text.StringBuilder();
        int index = 0;
        foreach (string feed in feeds)
        {
            string key = "local-" + index++;
            sources.AppendLine($"""    <add key="{key}" value="{feed}" />""");
            patterns.AppendLine($"""    <packageSource key="{key}"><package pattern="Lockstep" /><package pattern="Lockstep.*" /><package pattern="Scratch.*" /></packageSource>""");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {sources}    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
            {patterns}    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>

            """;
    }
}
