using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>LS1004: holds the lock the field's other accesses use around the statement.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentSynchronizationFixer))]
public sealed class InconsistentSynchronizationFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1004.HoldLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.InconsistentSynchronization);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(HoldNamedLock.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => HoldNamedLock.RegisterAsync(context, EquivalenceKey);
}
