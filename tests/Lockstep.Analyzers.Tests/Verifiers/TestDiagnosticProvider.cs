using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Gives a Fix All provider the diagnostics it asks for, computed the same way as everywhere else in the
/// verifier. A batch fixer asks document by document; the project's analysis is computed once and cached.
/// </summary>
internal sealed class TestDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    private readonly VerificationSession _session;
    private readonly string _phase;
    private readonly ImmutableHashSet<string> _diagnosticIds;
    private readonly ConditionalWeakTable<Project, Task<ImmutableArray<Diagnostic>>> _cache = new();

    public TestDiagnosticProvider(VerificationSession session, string phase, IEnumerable<string> diagnosticIds)
    {
        _session = session;
        _phase = phase;
        _diagnosticIds = diagnosticIds.ToImmutableHashSet();
    }

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var all = await GetDiagnosticsAsync(document.Project, cancellationToken).ConfigureAwait(false);
        return all.Where(d => d.Location.IsInSource && d.Location.SourceTree!.FilePath == document.FilePath);
    }

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var all = await GetDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false);
        return all.Where(d => !d.Location.IsInSource);
    }

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        await GetDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false);

    private Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
        _cache.GetValue(project, p => ComputeAsync(p, cancellationToken));

    private async Task<ImmutableArray<Diagnostic>> ComputeAsync(Project project, CancellationToken cancellationToken)
    {
        var analysis = await _session.AnalyzeAsync(project, _phase, cancellationToken).ConfigureAwait(false);
        return analysis.AnalyzerDiagnostics.Concat(analysis.CompilerDiagnostics).Where(d => _diagnosticIds.Contains(d.Id)).ToImmutableArray();
    }
}
