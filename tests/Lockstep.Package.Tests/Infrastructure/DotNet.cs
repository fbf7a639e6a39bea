using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>Runs the <c>dotnet</c> CLI as a child process with a timeout, no stdin and captured output.</summary>
internal static class DotNet
{
    /// <summary>
    /// Variables the test host inherits from the <c>dotnet test</c> that started it. They pin MSBuild to that
    /// invocation's SDK and settings; a child build must resolve its own, as a user's would.
    /// </summary>
    private static readonly string[] InheritedVariablesToDrop =
    {
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "_MSBUILDTLENABLED",
    };

    public static Task<ProcessResult> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(HostPath())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
            startInfo.ArgumentList.Add(argument);

        foreach (string name in InheritedVariablesToDrop)
            startInfo.Environment.Remove(name);

        // No lingering MSBuild nodes or compiler server: they would outlive the child, keep its output pipes
        // open (so the wait below would not end) and hold on to files in the temporary folders.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["UseSharedCompilation"] = "false";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        if (environment is not null)
        {
            foreach (var pair in environment)
                startInfo.Environment[pair.Key] = pair.Value;
        }

        return RunAsync(startInfo, timeout);
    }

    private static async Task<ProcessResult> RunAsync(ProcessStartInfo startInfo, TimeSpan timeout)
    {
        string commandLine = "dotnet " + string.Join(" ", startInfo.ArgumentList.Select(Quote));
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool timedOut = false;
        using (var cancellation = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        string text;
        lock (output)
            text = output.ToString();
        return new ProcessResult(commandLine, startInfo.WorkingDirectory, timedOut ? -1 : process.ExitCode, timedOut, text);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', '\'' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";

    /// <summary>The host that runs this test (the CLI exports it to its children), else <c>dotnet</c> on PATH.</summary>
    private static string HostPath()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
