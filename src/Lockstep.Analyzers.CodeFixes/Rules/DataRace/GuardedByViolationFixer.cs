using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1005: holds the lock the contract names around the statement or expression body, on the object whose member it
/// is; not offered in the cases LS1004's fixer lists (HoldLockShapes).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GuardedByViolationFixer))]
public sealed class GuardedByViolationFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS1005.HoldLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.GuardedByViolation);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(HoldNamedLock.ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => HoldNamedLock.RegisterAsync(context, EquivalenceKey);
}
