using System;
using System.IO;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp path, deleted on dispose unless LOCKSTEP_KEEP_TEST_TEMP=1.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("LOCKSTEP_KEEP_TEST_TEMP") == "1")
            return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not turn a passing run red.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
