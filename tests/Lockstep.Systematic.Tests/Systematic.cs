using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

/// <summary>
/// Runs one systematic test: Coyote runs <c>test</c> once per iteration, each time with a different schedule of the
/// test's tasks (chosen by a seeded random walk that also prioritises some tasks over others), and fails the xunit
/// test with Coyote's bug report and the seed that reproduces it.
/// </summary>
internal static class Systematic
{
    /// <summary>
    /// Iterations per test. A seeded random exploration of small scenarios: enough that each test explores thousands of
    /// distinct schedules, few enough that the whole project stays within about two minutes on two cores.
    /// </summary>
    public const uint DefaultIterations = 500;

    public static void Run(ITestOutputHelper output, Func<Task> test, uint iterations = DefaultIterations, uint maxSteps = 2_000, params string[] harmlessCalls)
    {
        TestReport report = Explore(output, test, iterations, maxSteps, harmlessCalls);
        if (report.NumOfFoundBugs > 0 || report.InternalErrors.Count > 0)
        {
            string bugs = string.Join(Environment.NewLine, report.BugReports.Concat(report.InternalErrors));
            Assert.Fail($"Coyote found a bug after exploring {report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths} schedules:{Environment.NewLine}{bugs}");
        }
    }

    /// <summary>Runs the exploration and returns Coyote's report, bugs included, without failing.</summary>
    /// <param name="harmlessCalls">
    /// Calls Coyote does not intercept that start no concurrency (such as <c>ExecutionContext.Capture</c>), which it
    /// would otherwise report as a threat to replaying a bug; any other uncontrolled call still fails the test.
    /// </param>
    public static TestReport Explore(ITestOutputHelper output, Func<Task> test, uint iterations = DefaultIterations, uint maxSteps = 2_000, params string[] harmlessCalls)
    {
        Configuration configuration = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithMaxSchedulingSteps(maxSteps)
            // Anything the scheduler does not control (a thread-pool work item, a timer) would make a run depend on the
            // machine again: report it as a bug instead of tolerating it.
            .WithPartiallyControlledConcurrencyAllowed(false)
            .WithPotentialDeadlocksReportedAsBugs(true)
            .WithRandomGeneratorSeed(20_240_601)
            .WithTelemetryEnabled(false); // no network here, and nothing to report
        if (harmlessCalls.Length > 0)
            configuration = configuration.WithNoBugTraceRepro();

        var clock = Stopwatch.StartNew();
        using var engine = TestingEngine.Create(configuration, test);
        engine.Run();
        clock.Stop();

        var report = engine.TestReport;
        output.WriteLine(
            $"coyote: {iterations} iterations, {report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths} schedules explored, "
            + $"{report.NumOfFoundBugs} bugs, up to {report.MaxControlledOperations} tasks per schedule, "
            + $"{clock.Elapsed.TotalSeconds:0.0} s");
        foreach (string invocation in report.UncontrolledInvocations)
        {
            output.WriteLine("uncontrolled: " + invocation);
            Assert.True(harmlessCalls.Contains(invocation), $"The test made an uncontrolled call, {invocation}: its interleavings are not all explored.");
        }

        return report;
    }

    /// <summary>Waits for every task; an array, so that the call binds to the overload Coyote controls.</summary>
    public static Task All(params Task[] tasks) => Task.WhenAll(tasks);
}
