using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>An option nobody can find is an option nobody uses: every key is in docs/configuration.md and on a rule page.</summary>
public sealed class OptionConventionTests
{
    [Fact]
    public void Every_option_key_is_documented_in_configuration_and_on_a_rule_page()
    {
        var keys = typeof(Lockstep.Analyzers.Options.LockstepOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        string configuration = File.ReadAllText(RepositoryPaths.Combine("docs", "configuration.md"));
        var rulePages = Directory.GetFiles(RepositoryPaths.Combine("docs", "rules"), "LS*.md").Select(File.ReadAllText).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Contains("`" + key + "`", configuration);
            Assert.Contains(rulePages, page => page.Contains(key));
        });
    }
}
