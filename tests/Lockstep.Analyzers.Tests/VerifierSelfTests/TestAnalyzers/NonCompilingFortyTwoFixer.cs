using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>"Fixes" TST001 by writing a name that does not exist (CS0103), which the verifier must reject.</summary>
internal sealed class NonCompilingFortyTwoFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(TestDescriptors.FortyTwo.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => FortyTwoFixes.RegisterAsync(context, replacement41: "undefinedName");
}
