using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1003: the matching concurrent collection for a method-local collection every use of which it supports, otherwise a
/// lock around the change; not offered across an await or another blocking call (RaceFixShapes).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonThreadSafeCollectionMutatedConcurrentlyFixer))]
public sealed class NonThreadSafeCollectionMutatedConcurrentlyFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1003.Synchronize";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NonThreadSafeCollectionMutatedConcurrently);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(RaceFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => RaceFixes.RegisterAsync(context, EquivalenceKey);
}
