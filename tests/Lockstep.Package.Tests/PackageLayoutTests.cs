using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Lockstep.Package.Tests.Infrastructure;

namespace Lockstep.Package.Tests;

/// <summary>What `dotnet pack` puts in the two packages, read from the .nupkg files themselves.</summary>
[Collection(PackedPackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class PackageLayoutTests
{
    private readonly PackedPackages _packages;

    public PackageLayoutTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public void Analyzer_package_holds_the_analyzer_and_code_fix_assemblies_the_buildTransitive_files_readme_license_and_icon_only()
    {
        string[] expected =
        {
            "LICENSE",
            "README.md",
            "analyzers/dotnet/cs/Lockstep.Analyzers.CodeFixes.dll",
            "analyzers/dotnet/cs/Lockstep.Analyzers.dll",
            "buildTransitive/Lockstep.Analyzers.props",
            "buildTransitive/Lockstep.Analyzers.targets",
            "icon.png",
        };

        Assert.Equal(expected, ContentEntries(_packages.AnalyzerPackagePath));
    }

    [Fact]
    public void Analyzer_package_is_a_development_dependency_with_no_dependencies()
    {
        XElement metadata = Metadata(_packages.AnalyzerPackagePath);

        Assert.Equal("true", Child(metadata, "developmentDependency")?.Value);
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Library_package_holds_the_library_for_netstandard2_0_and_net8_0_and_no_analyzers_or_build_assets()
    {
        string[] entries = ContentEntries(_packages.LibraryPackagePath);

        Assert.Contains("lib/netstandard2.0/Lockstep.dll", entries);
        Assert.Contains("lib/net8.0/Lockstep.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal) || e.StartsWith("build", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("Lockstep.Analyzers", StringComparison.Ordinal));
    }

    [Fact]
    public void Library_package_depends_on_exactly_the_analyzer_package_of_its_own_version_in_every_group_with_all_assets()
    {
        XElement metadata = Metadata(_packages.LibraryPackagePath);
        var groups = metadata.Descendants().Where(e => e.Name.LocalName == "group").ToList();
        string nuspec = metadata.ToString();

        Assert.Equal(new[] { ".NETStandard2.0", "net8.0" }, groups.Select(g => (string?)g.Attribute("targetFramework")).OrderBy(t => t, StringComparer.Ordinal));
        foreach (XElement group in groups)
        {
            XElement? analyzers = group.Elements().SingleOrDefault(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == PackedPackages.AnalyzerPackageId);
            Assert.True(analyzers is not null, $"No {PackedPackages.AnalyzerPackageId} dependency in group {group.Attribute("targetFramework")}:\n{nuspec}");
            // Built, tested and released together: exactly this version, not "this or newer".
            Assert.Equal("[" + _packages.Version + "]", (string?)analyzers!.Attribute("version"));
            // An exclude (the default "Build,Analyzers" of a project reference) would stop the analyzers at the library.
            Assert.True(analyzers.Attribute("exclude") is null, $"The dependency excludes assets:\n{nuspec}");
            Assert.True(analyzers.Attribute("include") is not { Value: not "All" }, $"The dependency includes only some assets:\n{nuspec}");
        }
    }

    [Fact]
    public void Library_package_does_not_depend_on_Roslyn()
    {
        XElement metadata = Metadata(_packages.LibraryPackagePath);

        Assert.DoesNotContain(
            metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id") ?? ""),
            id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("lib/netstandard2.0/Lockstep.dll")]
    [InlineData("lib/net8.0/Lockstep.dll")]
    public void Library_assembly_is_not_compiled_against_the_analyzers_or_Roslyn(string entry)
    {
        var references = AssemblyMetadata.References(PackedPackages.ReadEntry(_packages.LibraryPackagePath, entry));

        Assert.DoesNotContain(references, r => r.Name.StartsWith("Lockstep", StringComparison.Ordinal) || r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PackedPackages.AnalyzerPackageId)]
    [InlineData(PackedPackages.LibraryPackageId)]
    public void Package_has_license_expression_and_file_icon_readme_and_repository_metadata(string id)
    {
        string path = id == PackedPackages.AnalyzerPackageId ? _packages.AnalyzerPackagePath : _packages.LibraryPackagePath;
        XElement metadata = Metadata(path);

        Assert.Equal(_packages.Version, Child(metadata, "version")?.Value);
        XElement? license = Child(metadata, "license");
        Assert.Equal("expression", (string?)license?.Attribute("type"));
        Assert.Equal("MIT", license?.Value);

        Assert.StartsWith("MIT License", Encoding.UTF8.GetString(PackedPackages.ReadEntry(path, "LICENSE")), StringComparison.Ordinal);

        Assert.Equal("icon.png", Child(metadata, "icon")?.Value);
        byte[] icon = PackedPackages.ReadEntry(path, "icon.png");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon.Take(4));

        Assert.Equal("README.md", Child(metadata, "readme")?.Value);
        string readme = Encoding.UTF8.GetString(PackedPackages.ReadEntry(path, "README.md"));
        Assert.StartsWith("# " + id + "\n", readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        // The README's links are filled in from LockstepRepositoryUrl when packing.
        Assert.Contains(Repository.DocsUrl + "/docs/rules/README.md", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("{RepositoryUrl}", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("{DocsUrl}", readme, StringComparison.Ordinal);

        Assert.Equal(Repository.RepositoryUrl, Child(metadata, "projectUrl")?.Value);
        XElement? repository = Child(metadata, "repository");
        Assert.Equal("git", (string?)repository?.Attribute("type"));
        Assert.Equal(Repository.RepositoryUrl, (string?)repository?.Attribute("url"));
        if (Repository.IsGitCheckout)
            Assert.Matches("^[0-9a-f]{40}$", (string?)repository?.Attribute("commit") ?? "");
    }

    [Theory]
    [InlineData(PackedPackages.AnalyzerPackageId)]
    [InlineData(PackedPackages.LibraryPackageId)]
    public void Release_notes_are_this_versions_section_of_the_changelog(string id)
    {
        string path = id == PackedPackages.AnalyzerPackageId ? _packages.AnalyzerPackagePath : _packages.LibraryPackagePath;
        string notes = (Child(Metadata(path), "releaseNotes")?.Value ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);

        string changelog = System.IO.File.ReadAllText(System.IO.Path.Combine(Repository.Root, "CHANGELOG.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string heading = "## " + Repository.VersionPrefix;
        int start = changelog.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"CHANGELOG.md has no '{heading}' section");
        start = changelog.IndexOf('\n', start) + 1;
        int end = changelog.IndexOf("\n## ", start, StringComparison.Ordinal);
        string section = (end < 0 ? changelog[start..] : changelog[start..end]).Trim();

        Assert.StartsWith(section, notes, StringComparison.Ordinal);
        Assert.EndsWith(Repository.DocsUrl + "/CHANGELOG.md", notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lib/netstandard2.0/Lockstep.pdb")]
    [InlineData("lib/net8.0/Lockstep.pdb")]
    public void Library_symbols_package_has_a_portable_pdb_with_Source_Link_to_the_repository(string entry)
    {
        string? sourceLink = AssemblyMetadata.SourceLinkJson(PackedPackages.ReadEntry(_packages.LibrarySymbolsPackagePath, entry));

        // Outside a git checkout (a source archive) there is no commit to link to.
        if (Repository.IsGitCheckout)
            Assert.Contains(Repository.RepositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal) + "/", sourceLink ?? "(no Source Link)", StringComparison.Ordinal);
    }

    /// <summary>Package entries without the OPC plumbing NuGet adds to every package, sorted.</summary>
    private static string[] ContentEntries(string packagePath)
    {
        using ZipArchive archive = ZipFile.OpenRead(packagePath);
        return archive.Entries
            .Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal)
                && !n.StartsWith("package/", StringComparison.Ordinal)
                && n != "[Content_Types].xml"
                && !(n.EndsWith(".nuspec", StringComparison.Ordinal) && !n.Contains('/', StringComparison.Ordinal)))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
    }

    private static XElement Metadata(string packagePath) =>
        Child(PackedPackages.ReadNuspec(packagePath).Root!, "metadata") ?? throw new InvalidOperationException($"{packagePath}: nuspec without metadata");

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}
