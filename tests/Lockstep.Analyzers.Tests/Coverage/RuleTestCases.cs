using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Xunit.Sdk;

namespace Lockstep.Analyzers.Tests.Coverage;

/// <summary>
/// The projects the rule tests verify: every <c>[Fact]</c> and every row of every <c>[Theory]</c> of the test classes
/// under <c>Rules/</c> is invoked with a <see cref="RuleTestRecorder"/> installed, so each verification it asks for is
/// collected instead of run. New tests are measured the day they are written.
/// </summary>
internal static class RuleTestCases
{
    public static async Task<IReadOnlyList<RecordedRuleTest>> CollectAsync()
    {
        var recorded = RuleTestRecorder.Install();
        var testClasses = typeof(RuleTestCases).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Lockstep.Analyzers.Tests.Rules", StringComparison.Ordinal) == true && !t.IsAbstract && t.IsPublic)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

        foreach (var type in testClasses)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                if (method.GetCustomAttribute<FactAttribute>() is not { Skip: null } fact)
                    continue;

                var rows = fact is TheoryAttribute
                    ? method.GetCustomAttributes<DataAttribute>().SelectMany(data => data.GetData(method)).ToList()
                    : new List<object[]> { Array.Empty<object>() };
                foreach (var row in rows)
                {
                    var instance = method.IsStatic ? null : Activator.CreateInstance(type);
                    if (method.Invoke(instance, row) is Task task)
                        await task;
                }
            }
        }

        return recorded;
    }
}
