using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>Fixes TST001 (42 → 41, or 0 as the second action) with the batch Fix All provider.</summary>
internal sealed class FortyTwoFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(TestDescriptors.FortyTwo.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => FortyTwoFixes.RegisterAsync(context);
}
