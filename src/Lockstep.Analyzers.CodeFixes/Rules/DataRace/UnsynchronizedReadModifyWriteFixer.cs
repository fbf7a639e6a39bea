using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1001: Interlocked for numeric updates, otherwise a lock around the read-modify-write sequence with its sleeps moved
/// before it. Not offered (RaceFixShapes) across an await (a lock cannot span it), across another blocking call (the
/// lock would be held through it and could deadlock with what it waits for), or when the sequence declares a local used
/// after it (the lock would end its scope).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsynchronizedReadModifyWriteFixer))]
public sealed class UnsynchronizedReadModifyWriteFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1001.Synchronize";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnsynchronizedReadModifyWrite);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(RaceFixes.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => RaceFixes.RegisterAsync(context, EquivalenceKey);
}
