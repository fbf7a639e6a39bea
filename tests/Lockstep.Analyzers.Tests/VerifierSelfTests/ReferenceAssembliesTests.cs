using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

public sealed class ReferenceAssembliesTests
{
    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            async Task<int> M(CancellationToken ct)
            {
                await Task.Delay(1, ct);
                lock (_gate) { Thread.Sleep(1); }
                return new ConcurrentDictionary<int, int>().Count + new[] { 1 }.Sum() + Environment.ProcessorCount;
            }
        }
        """;

    [Fact]
    public void Framework_references_are_cached()
    {
        Assert.True(ReferenceAssemblies.Framework == ReferenceAssemblies.Framework);
        Assert.Same(ReferenceAssemblies.RuntimeLibrary, ReferenceAssemblies.RuntimeLibrary);
    }

    [Fact]
    public void Framework_references_compile_threading_code() =>
        AssertCompiles(ReferenceAssemblies.Framework);

    [Fact]
    public void Trusted_platform_fallback_keeps_only_the_framework()
    {
        var paths = ReferenceAssemblies.FindTrustedPlatformAssemblies();
        var names = paths.Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.Contains("System.Runtime", names);
        Assert.DoesNotContain(names, n => n!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n!.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Lockstep", names);
        AssertCompiles(paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
    }

    private static void AssertCompiles(System.Collections.Generic.IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "Probe",
            new[] { CSharpSyntaxTree.ParseText(Source) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
