namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>What a child <c>dotnet</c> process did: its command line, exit code and interleaved stdout/stderr.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, string Output)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The whole story of the run, for assertion messages: a failure must be diagnosable from the test log alone.</summary>
    public string Describe() =>
        $"`{CommandLine}` in {WorkingDirectory} {(TimedOut ? "timed out and was killed" : $"exited with {ExitCode}")}. Full output:"
        + System.Environment.NewLine + Output;
}
