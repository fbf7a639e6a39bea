using System.Collections.Generic;

namespace Lockstep.Panel;

/// <summary>
/// One library of the panel: where its code comes from (repository and commit), which folders of it are the library
/// (not its tests), and what a build of it would add that a bare compile lacks (symbols, usings, package references).
/// </summary>
public sealed class PanelLibrary
{
    public string Name { get; init; } = "";

    /// <summary>What kind of code it is (client library, actor runtime, game engine…): the panel wants variety.</summary>
    public string Kind { get; init; } = "";

    /// <summary>GitHub <c>owner/name</c>.</summary>
    public string Repository { get; init; } = "";

    /// <summary>The full commit id the sources were extracted at.</summary>
    public string Commit { get; init; } = "";

    /// <summary>The folder under <c>--sources</c> that holds the extracted snapshot (repository paths below it).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Repository-relative folders analysed together as one compilation.</summary>
    public List<string> Folders { get; init; } = new();

    /// <summary>Repository-relative glob patterns (<c>*</c>, <c>**</c>) of files left out, e.g. platform-specific code.</summary>
    public List<string> Excludes { get; init; } = new();

    /// <summary>Patterns that win over <see cref="Excludes"/> (a project that removes a folder but keeps a few files of it).</summary>
    public List<string> Includes { get; init; } = new();

    /// <summary>
    /// Repository-relative folders of projects the library references: compiled as separate assemblies (named after the
    /// folder, so InternalsVisibleTo works) and referenced, never analysed.
    /// </summary>
    public List<string> ReferenceFolders { get; init; } = new();

    /// <summary>The library's assembly name (default: the last segment of its first folder), for InternalsVisibleTo.</summary>
    public string AssemblyName { get; init; } = "";

    /// <summary>Diagnostic IDs its project suppresses with NoWarn that would otherwise be errors (experimental APIs).</summary>
    public List<string> NoWarn { get; init; } = new();

    /// <summary>Preprocessor symbols the library's own project adds for its newest target framework.</summary>
    public List<string> Defines { get; init; } = new();

    /// <summary>Whether the library's project sets <c>ImplicitUsings</c>.</summary>
    public bool ImplicitUsings { get; init; }

    /// <summary>Global usings its project adds with <c>&lt;Using Include="…"/&gt;</c>.</summary>
    public List<string> Usings { get; init; } = new();

    /// <summary>
    /// NuGet package ids (<c>Id</c> or <c>Id@version</c>) whose compile assemblies are added as references when found
    /// in the packages folder; they only reduce compiler errors, none is required.
    /// </summary>
    public List<string> Packages { get; init; } = new();

    /// <summary>Anything a reader of the figures should know (what is left out and why).</summary>
    public string Notes { get; init; } = "";

    public IEnumerable<string> Problems()
    {
        string who = Name.Length == 0 ? "a library" : $"library '{Name}'";
        if (Name.Length == 0)
        {
            yield return "a library has no name";
        }

        if (Repository.Split('/').Length != 2)
        {
            yield return $"{who}: repository must be owner/name";
        }

        if (Commit.Length != 40)
        {
            yield return $"{who}: commit must be a full 40-character id";
        }

        if (Directory.Length == 0)
        {
            yield return $"{who}: directory is missing";
        }

        if (Folders.Count == 0)
        {
            yield return $"{who}: no folders to analyse";
        }
    }
}
