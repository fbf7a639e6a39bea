using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1004: holds the lock the field's other accesses use around the statement or expression body, on the object whose
/// field it is. Not offered (HoldLockShapes) inside a lambda, for a statement that awaits or declares a local, through a
/// receiver other than this, a local or a parameter, or for a lock a lock statement cannot take.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentSynchronizationFixer))]
public sealed class InconsistentSynchronizationFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1004.HoldLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.InconsistentSynchronization);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(HoldNamedLock.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => HoldNamedLock.RegisterAsync(context, EquivalenceKey);
}
