using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lockstep.Panel;

/// <summary>
/// The panel file (<c>panel.json</c>): the settings every library shares and the libraries themselves, each pinned to
/// the commit its figures were measured on, so a run today and a run next month compare the same code.
/// </summary>
public sealed class PanelDefinition
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Preprocessor symbols for every library: what the .NET SDK defines for a net10.0 Release build.</summary>
    public List<string> Defines { get; init; } = new();

    /// <summary>Folder names skipped at any depth (case-insensitive): build output, tests, benchmarks, samples.</summary>
    public List<string> SkipFolders { get; init; } = new();

    /// <summary>The namespaces the .NET SDK imports when a project sets <c>ImplicitUsings</c>.</summary>
    public List<string> ImplicitUsings { get; init; } = new();

    public List<PanelLibrary> Libraries { get; init; } = new();

    public static PanelDefinition Load(string path)
    {
        using var stream = File.OpenRead(path);
        var panel = JsonSerializer.Deserialize<PanelDefinition>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
        var problems = panel.Libraries.SelectMany(l => l.Problems()).ToList();
        var duplicates = panel.Libraries.GroupBy(l => l.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"library '{g.Key}' is listed twice");
        problems.AddRange(duplicates);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: " + string.Join("; ", problems));
        }

        return panel;
    }
}
