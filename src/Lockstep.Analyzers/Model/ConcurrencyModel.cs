using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The whole-program concurrency model (DESIGN section 2): what runs concurrently (entries and their multiplicity),
/// which locks are held (locksets carried along calls), and which shared locations are updated without
/// synchronisation while another strand writes them. Built once per compilation, on first request, and shared by
/// every rule that asks; the rules report from compilation-end actions.
/// </summary>
internal sealed class ConcurrencyModel
{
    /// <summary>Bounds the call-graph walk so a pathological program cannot stall a build.</summary>
    private const int MaxVisits = 50_000;

    private static readonly Lockstep.Analyzers.Internal.PerCompilationCache<ConcurrencyModel> Cache = new();

    private readonly Dictionary<IMethodSymbol, FunctionFacts> _functions;
    private readonly Dictionary<ISymbol, List<ContextualAccess>> _accessesByLocation = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _captured = new(SymbolEqualityComparer.Default);

    private ConcurrencyModel(Dictionary<IMethodSymbol, FunctionFacts> functions)
    {
        _functions = functions;
    }

    public ImmutableArray<RaceFinding> ReadModifyWrites { get; private set; } = ImmutableArray<RaceFinding>.Empty;
    public ImmutableArray<RaceFinding> CheckThenActs { get; private set; } = ImmutableArray<RaceFinding>.Empty;
    public ImmutableArray<RaceFinding> CollectionMutations { get; private set; } = ImmutableArray<RaceFinding>.Empty;

    /// <summary>The model of the compilation, built from the store on first request and then shared.</summary>
    public static ConcurrencyModel For(Compilation compilation, FactStore store, CancellationToken cancellationToken)
    {
        return Cache.GetOrBuild(compilation, () =>
        {
            var model = new ConcurrencyModel(store.Snapshot());
            model.Analyze(cancellationToken);
            return model;
        });
    }

    private void Analyze(CancellationToken cancellationToken)
    {
        var starts = _functions.Values.SelectMany(f => f.Starts).ToList();
        if (starts.Count == 0)
            return; // a single-threaded program has no races to report

        MarkRepeatedStarts(starts);
        CollectCapturedVariables();

        int visits = 0;
        foreach (var start in starts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = new ExecutionContext(start, isStarter: false);
            bool thisShared = start.Receiver != InstanceKind.Fresh;
            Visit(entry, start.Target, ImmutableHashSet<LockIdentity>.Empty, thisShared, new HashSet<(IMethodSymbol, bool, int)>(), ref visits, window: null);

            if (start.WindowEnd > start.Operation.Syntax.SpanStart && StartingFunction(start) is { } starter)
            {
                var starterContext = new ExecutionContext(start, isStarter: true);
                Visit(starterContext, starter, ImmutableHashSet<LockIdentity>.Empty, thisShared: true, new HashSet<(IMethodSymbol, bool, int)>(), ref visits, window: (start.Operation.Syntax.Span.End, start.WindowEnd));
            }
        }

        FindRaces();
    }

    /// <summary>A function started at two places, or started from code that itself runs repeatedly, runs concurrently with itself.</summary>
    private void MarkRepeatedStarts(List<StartFact> starts)
    {
        foreach (var group in starts.GroupBy(s => s.Target, SymbolEqualityComparer.Default))
        {
            if (group.Count() > 1)
            {
                foreach (var start in group)
                    start.IsRepeated = true;
            }
        }

        // A start in a function that is called twice, or from a loop, happens more than once.
        var callCounts = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var call in _functions.Values.SelectMany(f => f.Calls))
            callCounts[call.Target] = callCounts.TryGetValue(call.Target, out var count) ? count + (call.IsInLoop ? 2 : 1) : (call.IsInLoop ? 2 : 1);
        foreach (var start in starts)
        {
            if (start.Starter is { } starter && callCounts.TryGetValue(starter, out var calls) && calls > 1)
                start.IsRepeated = true;
        }

        // A start inside a repeated entry's code is repeated too (tasks started from a Parallel.For body).
        for (int round = 0; round < 3; round++)
        {
            foreach (var start in starts.Where(s => s.IsRepeated))
            {
                foreach (var nested in ReachableFunctions(start.Target).SelectMany(f => f.Starts))
                    nested.IsRepeated = true;
            }
        }
    }

    private IEnumerable<FunctionFacts> ReachableFunctions(IMethodSymbol root)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var stack = new Stack<IMethodSymbol>();
        stack.Push(root);
        while (stack.Count > 0 && seen.Count < 2000)
        {
            var function = stack.Pop();
            if (!seen.Add(function) || !_functions.TryGetValue(function, out var facts))
                continue;
            yield return facts;
            foreach (var call in facts.Calls)
                stack.Push(call.Target);
        }
    }

    private static IMethodSymbol? StartingFunction(StartFact start) => start.Kind == StartKind.Annotated ? null : start.Starter;

    private void Visit(ExecutionContext context, IMethodSymbol function, ImmutableHashSet<LockIdentity> locks, bool thisShared, HashSet<(IMethodSymbol, bool, int)> visited, ref int visits, (int From, int To)? window)
    {
        if (++visits > MaxVisits || !_functions.TryGetValue(function, out var facts))
            return;
        if (!visited.Add((function, thisShared, LocksKey(locks))))
            return;

        foreach (var access in facts.Accesses)
        {
            if (window is { } w && !Inside(access.Operation.Syntax.SpanStart, w))
                continue;
            if (!IsShared(access, context, thisShared))
                continue;

            var effective = locks.Union(access.Locks);
            if (!_accessesByLocation.TryGetValue(access.Location, out var list))
                _accessesByLocation[access.Location] = list = new List<ContextualAccess>();
            list.Add(new ContextualAccess(access, context, effective));
        }

        foreach (var call in facts.Calls)
        {
            if (window is { } w && !Inside(call.Position, w))
                continue;
            bool calleeThisShared = call.Receiver switch
            {
                InstanceKind.This => thisShared,
                InstanceKind.Fresh => false,
                InstanceKind.Parameter => !IsElementOfThisCall(context, function),
                _ => true,
            };
            Visit(context, call.Target, locks.Union(call.Locks), calleeThisShared, visited, ref visits, window: null);
        }
    }

    private static bool Inside(int position, (int From, int To) window) => position >= window.From && position < window.To;

    private static int LocksKey(ImmutableHashSet<LockIdentity> locks)
    {
        int key = locks.Count;
        foreach (var identity in locks)
            key ^= identity.GetHashCode();
        return key;
    }

    /// <summary>Locals and parameters used by a function other than the one that declares them: captured by a lambda or local function.</summary>
    private void CollectCapturedVariables()
    {
        foreach (var facts in _functions.Values)
        {
            foreach (var access in facts.Accesses)
            {
                if (access.Location is ILocalSymbol or IParameterSymbol
                    && access.Location.ContainingSymbol is IMethodSymbol declaring
                    && !SymbolEqualityComparer.Default.Equals(declaring.OriginalDefinition, access.Function))
                {
                    _captured.Add(access.Location);
                }
            }
        }
    }

    /// <summary>
    /// Whether two strands can reach the same storage through this access: static storage always; <c>this</c> when the
    /// running object is shared; never an object the strand just created; a local only when it is captured from a
    /// function outside the started code (each run of the started function has its own locals).
    /// </summary>
    private bool IsShared(AccessFact access, ExecutionContext context, bool thisShared)
    {
        if (access.Location is ILocalSymbol or IParameterSymbol)
        {
            var declaring = access.Location.ContainingSymbol as IMethodSymbol;
            if (declaring is null)
                return false;

            // A variable no lambda or local function captures lives in one activation of its function, which runs on
            // one thread: a loop counter in a method that started code calls is private to each call.
            if (!_captured.Contains(access.Location))
                return false;
            if (context.IsStarter)
                return true;
            return !IsWithin(declaring.OriginalDefinition, context.Start.Target);
        }

        return access.Instance switch
        {
            InstanceKind.Static => true,
            InstanceKind.This => thisShared,
            InstanceKind.Fresh => false,
            InstanceKind.Parameter => !IsElementOfThisCall(context, access.Function),
            _ => true,
        };
    }

    /// <summary>
    /// The element a per-element API hands to its body (<c>Parallel.ForEach(orders, o => o.Ship())</c>) is that call's
    /// own: different calls get different elements, so updating the element's fields is not shared between them.
    /// </summary>
    private static bool IsElementOfThisCall(ExecutionContext context, IMethodSymbol function) =>
        !context.IsStarter
        && context.Start.Kind is StartKind.Parallel or StartKind.Plinq or StartKind.AsyncFanOut
        && SymbolEqualityComparer.Default.Equals(function, context.Start.Target);

    /// <summary>True when <paramref name="function"/> is <paramref name="container"/> or a lambda/local function nested in it.</summary>
    private bool IsWithin(IMethodSymbol function, IMethodSymbol container)
    {
        for (IMethodSymbol? current = function; current is not null; current = _functions.TryGetValue(current, out var facts) ? facts.Enclosing : null)
        {
            if (SymbolEqualityComparer.Default.Equals(current, container))
                return true;
        }

        return false;
    }

    private void FindRaces()
    {
        var readModifyWrites = new Dictionary<IOperation, RaceFinding>();
        var checkThenActs = new Dictionary<IOperation, RaceFinding>();
        var mutations = new Dictionary<IOperation, RaceFinding>();

        foreach (var accesses in _accessesByLocation.Values)
        {
            bool lockedElsewhere = accesses.Any(a => a.Access.IsWrite && !a.Locks.IsEmpty);
            foreach (var candidate in accesses)
            {
                var access = candidate.Access;
                if (access.IsAtomic || !candidate.Locks.IsEmpty || access.Kind is AccessKind.Read or AccessKind.Write)
                    continue;

                var partner = FindPartner(candidate, accesses);
                if (partner is null)
                    continue;

                string origin = candidate.Context.Describe();
                string partnerOrigin = partner.Context.Describe();
                if (partner.Context != candidate.Context && partnerOrigin != origin)
                    origin += " and by " + partnerOrigin;

                var target = access.Kind switch
                {
                    AccessKind.CheckThenAct => checkThenActs,
                    AccessKind.CollectionMutation => mutations,
                    _ => readModifyWrites,
                };
                if (!target.ContainsKey(access.Operation))
                    target[access.Operation] = new RaceFinding(access, origin, lockedElsewhere);
            }
        }

        // The act of a reported check-then-act is part of that report: one diagnostic per mistake.
        var acts = new HashSet<IOperation>(checkThenActs.Values.SelectMany(f => f.Access.ActOperations ?? new List<IOperation>()));
        bool IsAct(RaceFinding finding) =>
            acts.Contains(finding.Access.Operation)
            || finding.Access.Operation.DescendantsAndSelf().Any(acts.Contains)
            || acts.Any(act => act.Syntax.Span.Contains(finding.Access.Operation.Syntax.Span));

        ReadModifyWrites = Order(readModifyWrites.Values.Where(f => !IsAct(f)));
        CheckThenActs = Order(checkThenActs.Values);
        CollectionMutations = Order(mutations.Values.Where(f => !IsAct(f)));
    }

    private static ImmutableArray<RaceFinding> Order(IEnumerable<RaceFinding> findings) =>
        findings.OrderBy(f => f.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(f => f.Location.SourceSpan.Start).ToImmutableArray();

    /// <summary>
    /// Another access that can run at the same time without a common lock: a write (or any access, for a collection
    /// being mutated, since readers of a collection under change can fail). The access itself counts when its strand
    /// runs concurrently with itself.
    /// </summary>
    private static ContextualAccess? FindPartner(ContextualAccess candidate, List<ContextualAccess> accesses)
    {
        ContextualAccess? best = null;
        foreach (var other in accesses)
        {
            bool self = ReferenceEquals(other.Access, candidate.Access);
            if (self && other.Context != candidate.Context)
                continue;
            if (!Concurrent(candidate.Context, other.Context))
                continue;
            if (!self && !other.Access.IsWrite && candidate.Access.Kind != AccessKind.CollectionMutation)
                continue;
            if (!candidate.Locks.Intersect(other.Locks).IsEmpty)
                continue;

            if (self)
                return other; // racing with itself is the clearest explanation
            best ??= other;
        }

        return best;
    }

    private static bool Concurrent(ExecutionContext first, ExecutionContext second)
    {
        if (first == second)
            return first.IsRepeated;

        if (first.IsStarter || second.IsStarter)
            return first.Start == second.Start && first.IsStarter != second.IsStarter;

        // Two starts in one function: not concurrent when the first is joined before the second starts.
        // (One operation starting several delegates, Parallel.Invoke, runs them all at once.)
        var a = first.Start;
        var b = second.Start;
        if (a.Operation != b.Operation && SymbolEqualityComparer.Default.Equals(a.Starter, b.Starter))
        {
            int aStart = a.Operation.Syntax.SpanStart;
            int bStart = b.Operation.Syntax.SpanStart;
            if (aStart < bStart && a.WindowEnd <= bStart && !a.IsRepeated)
                return false;
            if (bStart < aStart && b.WindowEnd <= aStart && !b.IsRepeated)
                return false;
        }

        return true;
    }

    private sealed class ContextualAccess
    {
        public ContextualAccess(AccessFact access, ExecutionContext context, ImmutableHashSet<LockIdentity> locks)
        {
            Access = access;
            Context = context;
            Locks = locks;
        }

        public AccessFact Access { get; }
        public ExecutionContext Context { get; }
        public ImmutableHashSet<LockIdentity> Locks { get; }
    }
}
