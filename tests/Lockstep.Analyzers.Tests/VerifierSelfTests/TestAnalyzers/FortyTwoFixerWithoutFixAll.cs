using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>Fixes TST001 but has no Fix All provider, which the verifier must reject unless the test skips Fix All.</summary>
internal sealed class FortyTwoFixerWithoutFixAll : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(TestDescriptors.FortyTwo.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => FortyTwoFixes.RegisterAsync(context);
}
