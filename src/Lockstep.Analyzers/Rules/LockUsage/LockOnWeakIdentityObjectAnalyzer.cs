using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5003: <c>lock</c> or <c>Monitor</c> on <c>this</c> of a type others can reach, <c>typeof</c>/<c>GetType()</c>, a
/// string, a boxed value, a field that is reassigned, or a local created in the same method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOnWeakIdentityObjectAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LockOnWeakIdentityObject);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static compilationStart =>
        {
            var locks = ConcurrencyCatalogue.For(compilationStart.Compilation).Locks;
            compilationStart.RegisterSymbolStartAction(start => AnalyzeType(start, locks), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext start, LockCatalogue locks)
    {
        {
            var type = (INamedTypeSymbol)start.Symbol;
            var sites = new ConcurrentBag<(IOperation Site, ISymbol Member)>();
            // Assignments outside construction per field, and the fields given a value while their object is made.
            var laterAssignments = new ConcurrentDictionary<IFieldSymbol, int>(SymbolEqualityComparer.Default);
            var initialised = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);

            start.RegisterOperationAction(c =>
            {
                switch (c.Operation)
                {
                    case ILockOperation or IInvocationOperation when WeakLockSubject.LockedValue(c.Operation, locks) is not null:
                        // Exit/Wait/Pulse follow the Enter they belong to; only acquisitions are reported.
                        if (c.Operation is ILockOperation || c.Operation is IInvocationOperation enter && locks.IsMonitorEnter(enter))
                            sites.Add((c.Operation, c.ContainingSymbol));
                        break;
                    case IFieldReferenceOperation { Field: var field } reference when SymbolEqualityComparer.Default.Equals(field.ContainingType, type):
                        if (WeakLockSubject.IsAssignmentOutsideConstruction(reference, c.ContainingSymbol))
                            laterAssignments.AddOrUpdate(field.OriginalDefinition, 1, (_, n) => n + 1);
                        else if (WeakLockSubject.IsAssignment(reference))
                            initialised[field.OriginalDefinition] = true;
                        break;
                }
            }, OperationKind.Lock, OperationKind.Invocation, OperationKind.FieldReference);

            // A field that gets another object after it had one: assigned at two places after construction, or once
            // after an initializer or a constructor gave it a first one. A field set once late (before the object is
            // used concurrently, e.g. when it is subscribed) and never again is not reassigned: every thread locks the
            // same object.
            bool IsReassigned(IFieldSymbol field)
            {
                field = field.OriginalDefinition;
                int later = laterAssignments.TryGetValue(field, out var count) ? count : 0;
                bool hasFirst = initialised.ContainsKey(field) || Internal.MemberInitializer.Of(field) is not null;
                return later >= 2 || (later == 1 && hasFirst);
            }

            start.RegisterSymbolEndAction(end =>
            {
                foreach (var (site, member) in sites.OrderBy(s => s.Site.Syntax.SpanStart))
                {
                    var value = WeakLockSubject.LockedValue(site, locks)!;
                    var kind = WeakLockSubject.Classify(value, type, IsReassigned, locks, out string subject);
                    if (kind == WeakLockKind.None)
                        continue;

                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add(DiagnosticPropertyKeys.WeakLockKind, kind.ToString());
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.LockOnWeakIdentityObject,
                        value.Syntax.GetLocation(),
                        properties,
                        subject,
                        WeakLockSubject.Consequence(kind, type)));
                }
            });
        }
    }
}
