using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1002: LazyInitializer for lazy initialisation, otherwise a lock around the check and the act with their sleeps moved
/// before it; not offered across an await or another blocking call (RaceFixShapes, as for LS1001).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsynchronizedCheckThenActFixer))]
public sealed class UnsynchronizedCheckThenActFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1002.Synchronize";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnsynchronizedCheckThenAct);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(RaceFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => RaceFixes.RegisterAsync(context, EquivalenceKey);
}
