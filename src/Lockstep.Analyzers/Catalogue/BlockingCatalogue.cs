using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// The calls that block the calling thread: sleeps, synchronous waits and joins (with the awaited rewrite that replaces
/// each, when one keeps its meaning), synchronous I/O that waits on a disk, the network, another process or the user,
/// and the async twin of a synchronous method of the compilation.
/// </summary>
internal sealed class BlockingCatalogue
{
    private const string AwaitIt = "await it";
    private const string AwaitWithWaitAsync = "await 'WaitAsync'";
    private const string NoAsyncWait = "await an asynchronous signal such as a 'TaskCompletionSource' task";

    private readonly KnownTypes _types;
    private readonly TaskCatalogue _tasks;
    private readonly Timeouts _timeouts;
    private readonly MemberSet _sleep;
    private readonly MemberSet _spinUntil;
    private readonly MemberSet _join;
    private readonly MemberSet _semaphoreWait;
    private readonly MemberSet _semaphoreCount;
    private readonly MemberSet _eventWait;
    private readonly MemberSet _countdownWait;
    private readonly MemberSet _signalAndWait;
    private readonly MemberSet _waitHandleWaits;
    private readonly MemberSet _io;
    private readonly MemberSet _streamIo;
    private readonly MemberSet _monitorWait;
    private readonly MemberSet _awaitableReads;
    private readonly MemberSet _registrationDispose;
    private readonly MemberSet _contextSend;

    public BlockingCatalogue(KnownTypes types, TaskCatalogue tasks, Timeouts timeouts)
    {
        _types = types;
        _tasks = tasks;
        _timeouts = timeouts;
        _sleep = MemberSet.Of(types.Thread, "Sleep");
        _spinUntil = MemberSet.Of(types.SpinWait, "SpinUntil");
        _join = MemberSet.Of(types.Thread, "Join");
        _semaphoreWait = MemberSet.Of(types.SemaphoreSlim, "Wait");
        _semaphoreCount = MemberSet.Of(types.SemaphoreSlim, "CurrentCount");
        _eventWait = MemberSet.Of(types.ManualResetEventSlim, "Wait");
        _countdownWait = MemberSet.Of(types.CountdownEvent, "Wait");
        _signalAndWait = MemberSet.Of(types.Barrier, "SignalAndWait");
        _waitHandleWaits = MemberSet.Of(types.WaitHandle, "WaitOne", "WaitAll", "WaitAny");
        _io = MemberSet.Union(
            MemberSet.Of(types.File, "ReadAllText", "ReadAllBytes", "ReadAllLines", "WriteAllText", "WriteAllBytes", "WriteAllLines", "AppendAllText", "AppendAllLines", "Copy", "Move"),
            MemberSet.Of(types.TextReader, "ReadToEnd", "ReadLine", "Read", "ReadBlock"),
            MemberSet.Of(types.Socket, "Receive", "Send", "Accept", "Connect", "ReceiveFrom", "SendTo", "SendFile"),
            MemberSet.Of(types.TcpClient, "Connect"),
            MemberSet.Of(types.TcpListener, "AcceptTcpClient", "AcceptSocket"),
            MemberSet.Of(types.UdpClient, "Receive", "Send"),
            MemberSet.Of(types.HttpClient, "Send"),
            MemberSet.Of(types.Console, "ReadLine", "ReadKey", "Read"),
            MemberSet.Of(types.Process, "WaitForExit"));
        _streamIo = MemberSet.Of(types.Stream, "Read", "ReadByte", "ReadExactly", "ReadAtLeast", "CopyTo");
        _monitorWait = MemberSet.Of(types.Monitor, "Wait");
        _awaitableReads = MemberSet.Union(
            MemberSet.Of(types.Stream, "Read", "ReadExactly", "ReadAtLeast", "CopyTo"),
            MemberSet.Of(types.TextReader, "ReadToEnd", "ReadLine", "Read", "ReadBlock"));
        _registrationDispose = MemberSet.Of(types.CancellationTokenRegistration, "Dispose");
        _contextSend = MemberSet.Of(types.SynchronizationContext, "Send");
    }

    /// <summary>
    /// Whether <paramref name="operation"/> waits, for as long as it takes, until code of the compilation has run to its
    /// end on another thread (LS2001's wait edges):
    /// <list type="bullet">
    /// <item><description><c>thread.Join()</c>, <c>task.Wait()</c>, <c>task.Result</c>, <c>task.GetAwaiter().GetResult()</c>,
    /// <c>Task.WaitAll(a, b)</c>: <paramref name="waited"/> are the thread or the tasks;</description></item>
    /// <item><description><c>registration.Dispose()</c> of a <c>CancellationTokenRegistration</c>: it waits for a run of the
    /// callback that is in progress on the cancelling thread; <paramref name="waited"/> is the registration;</description></item>
    /// <item><description><c>context.Send(callback, state)</c>: the context runs the callback on its own thread (a UI thread)
    /// and the caller waits for it; <paramref name="waited"/> is the callback itself (<paramref name="runsDelegate"/>).</description></item>
    /// </list>
    /// Not a wait for ever, on purpose: a wait with a timeout or a cancellation token (it gives up, like a try-acquisition
    /// with a timeout, so it cannot close a deadlock for good), <c>Task.WaitAny</c> (any one task may finish it), and
    /// <c>Timer.Dispose(WaitHandle)</c> (it returns at once; the wait on the handle comes later, on a handle the timer
    /// signals, which no start links back to the callback).
    /// </summary>
    public bool TryGetWaitedWork(IOperation operation, out string name, out ImmutableArray<IOperation> waited, out bool runsDelegate)
    {
        name = string.Empty;
        waited = ImmutableArray<IOperation>.Empty;
        runsDelegate = false;
        if (operation is IPropertyReferenceOperation property)
        {
            if (!TryClassifyResult(property, out var result) || property.Instance is null)
                return false;
            name = result.DisplayName;
            waited = ImmutableArray.Create(property.Instance);
            return true;
        }

        if (operation is not IInvocationOperation invocation)
            return false;

        var method = invocation.TargetMethod;
        if (_contextSend.Contains(method))
        {
            if (invocation.Arguments.Length == 0)
                return false;
            name = "SynchronizationContext.Send";
            waited = ImmutableArray.Create(invocation.Arguments[0].Value);
            runsDelegate = true;
            return true;
        }

        if (_registrationDispose.Contains(method) && invocation.Instance is { } registration)
        {
            name = "CancellationTokenRegistration.Dispose";
            waited = ImmutableArray.Create(registration);
            return true;
        }

        if (_join.Contains(method) || _tasks.Wait.Contains(method))
        {
            if (invocation.Instance is not { } worker || !WaitsForEver(invocation, firstArgument: 0))
                return false;
            name = _join.Contains(method) ? "Thread.Join" : "Task.Wait";
            waited = ImmutableArray.Create(worker);
            return true;
        }

        if (_tasks.WaitAll.Contains(method))
        {
            // Task.WaitAll(a, b): the params array (or, from C# 13, span) the compiler makes holds each task; an array kept
            // elsewhere is not followed.
            if (invocation.Arguments.Length == 0 || !WaitsForEver(invocation, firstArgument: 1)
                || !Internal.CollectionElements.TryGet(invocation.Arguments[0].Value, out var tasks))
            {
                return false;
            }

            name = "Task.WaitAll";
            waited = tasks;
            return true;
        }

        if (_tasks.AwaiterGetResult.Contains(method)
            && invocation.Instance is IInvocationOperation { Instance: { } source } getAwaiter && _tasks.GetAwaiter.Contains(getAwaiter.TargetMethod))
        {
            name = "GetAwaiter().GetResult()";
            waited = ImmutableArray.Create(_tasks.WithoutConfigureAwait(source)!);
            return true;
        }

        return false;
    }

    /// <summary>Every argument from <paramref name="firstArgument"/> on is left out or an infinite timeout: no timeout, no token.</summary>
    private bool WaitsForEver(IInvocationOperation invocation, int firstArgument)
    {
        for (int i = firstArgument; i < invocation.Arguments.Length; i++)
        {
            var argument = invocation.Arguments[i];
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && _timeouts.OfArgument(argument) != TimeoutKind.Infinite)
                return false;
        }

        return true;
    }

    /// <summary>A sleep, synchronous wait or join (<see cref="BlockingKind"/>); false for anything that does not block.</summary>
    public bool TryClassify(IOperation operation, out BlockingCall call)
    {
        call = default;
        return operation switch
        {
            IInvocationOperation invocation => TryClassifyInvocation(invocation, out call),
            IPropertyReferenceOperation property => TryClassifyResult(property, out call),
            _ => false,
        };
    }

    /// <summary>
    /// Whether <paramref name="operation"/> waits for other work to finish (a join, a task wait, an awaiter's
    /// <c>GetResult</c>, <c>Task.Result</c>, a wait handle, a barrier): after it, the work it waited for is done.
    /// </summary>
    public bool IsWait(IOperation operation) => TryClassify(operation, out var call) && call.Kind == BlockingKind.Wait;

    /// <summary>
    /// Synchronous I/O that waits on the outside world: whole-file reads and writes, stream and reader reads, socket and
    /// TCP operations, synchronous HTTP, console input, <c>Process.WaitForExit</c>. Used by LS5002; the async-code rules
    /// leave I/O alone.
    /// </summary>
    public bool TryClassifyIo(IOperation operation, out string displayName)
    {
        displayName = string.Empty;
        if (operation is not IInvocationOperation { TargetMethod: var method })
            return false;

        if (!_io.Contains(method) && !_streamIo.Contains(method))
            return false;

        displayName = method.ContainingType.Name + "." + method.Name;
        return true;
    }

    /// <summary>
    /// Blocking calls that count only where async code makes them itself (LS3002), which <see cref="TryClassify"/> leaves
    /// out on purpose:
    /// <list type="bullet">
    /// <item><description><c>Monitor.Wait</c>: it releases the lock it is called under while it waits, so it is neither a
    /// blocking call under that lock (LS5002) nor a join of other work; in async code it still parks the thread until
    /// someone pulses, even inside a <c>lock</c> body.</description></item>
    /// <item><description>synchronous reads of a stream or text reader (<c>Read</c>, <c>ReadExactly</c>, <c>ReadAtLeast</c>,
    /// <c>CopyTo</c>, <c>ReadToEnd</c>, <c>ReadLine</c>, <c>ReadBlock</c>) whose type has an awaitable twin: they wait for a
    /// disk, the network or another process. Not for streams in memory (<c>MemoryStream</c>, <c>StringReader</c>, a reader
    /// made over one), which never wait. Not counted through calls either: a helper that reads the stream it is given
    /// serves whatever stream its caller has, in-memory buffers included, and libraries serve their sync and async callers
    /// from one such helper.</description></item>
    /// </list>
    /// </summary>
    public bool TryClassifyInAsyncCode(IOperation operation, out BlockingCall call)
    {
        call = default;
        if (operation is not IInvocationOperation invocation)
            return false;

        var method = invocation.TargetMethod;
        if (_monitorWait.Contains(method))
        {
            // Monitor.Wait(o, 0) releases and retakes the lock without waiting for a pulse.
            if (_timeouts.Of(invocation) == TimeoutKind.Zero)
                return false;
            call = new BlockingCall(BlockingKind.Wait, "Monitor.Wait", AwaitFixKind.None, null, NoAsyncWait, releasesItsLock: true);
            return true;
        }

        if (!_awaitableReads.Contains(method) || IsInMemory(invocation.Instance, depth: 0))
            return false;

        var receiverType = invocation.Instance?.Type as INamedTypeSymbol ?? method.ContainingType;
        string twin = method.Name + "Async";
        if (!HasMemberNamed(receiverType, twin))
            return false; // no awaitable way to read from this type: nothing better to advise

        var fix = FindReadTwin(invocation, out _) is null ? AwaitFixKind.None : AwaitFixKind.AsyncCounterpart;
        call = new BlockingCall(BlockingKind.Wait, receiverType.Name + "." + method.Name, fix, null, "await '" + twin + "'");
        return true;
    }

    /// <summary>
    /// The awaitable twin <paramref name="read"/> can be rewritten to by renaming it and awaiting it (<c>Read(buffer, 0,
    /// n)</c> → <c>ReadAsync(buffer, 0, n)</c>; <c>Read(array)</c>, which passes an array as a span, → <c>ReadAsync(array)</c>,
    /// which passes it as memory), preferring one that also takes a <c>CancellationToken</c> (<paramref name="takesToken"/>).
    /// Null when no twin accepts the same arguments.
    /// </summary>
    public IMethodSymbol? FindReadTwin(IInvocationOperation read, out bool takesToken)
    {
        takesToken = false;
        var method = read.TargetMethod;
        var receiverType = read.Instance?.Type as INamedTypeSymbol ?? method.ContainingType;
        IMethodSymbol? plain = null;
        for (var type = receiverType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name + "Async"))
            {
                if (member is not IMethodSymbol { IsStatic: false } candidate || !ReturnMatches(method, candidate))
                    continue;

                int extra = candidate.Parameters.Length - method.Parameters.Length;
                if (extra is not (0 or 1) || !ArgumentsFit(read, candidate))
                    continue;

                if (extra == 0)
                {
                    plain ??= candidate;
                    continue;
                }

                if (!KnownTypes.Is(candidate.Parameters[candidate.Parameters.Length - 1].Type, _types.CancellationToken))
                    continue;

                // A twin that also takes a token gets the one in scope. One whose token cannot be left out is usable only
                // next to a plain twin, for when no token is in scope.
                takesToken = true;
                if (candidate.Parameters[candidate.Parameters.Length - 1].IsOptional)
                    plain ??= candidate;
            }
        }

        return plain;
    }

    /// <summary>Each argument the read passes fits the twin's parameter at the same place: the same type, or an array passed as a span where the twin takes memory.</summary>
    private static bool ArgumentsFit(IInvocationOperation read, IMethodSymbol twin)
    {
        foreach (var argument in read.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal >= twin.Parameters.Length)
                return false;

            var expected = twin.Parameters[parameter.Ordinal].Type;
            if (SameType(parameter.Type, expected))
                continue;

            bool arrayAsSpan = argument.Value is IConversionOperation { Operand.Type: IArrayTypeSymbol }
                && parameter.Type.Name is "Span" or "ReadOnlySpan"
                && expected.Name is "Memory" or "ReadOnlyMemory";
            if (!arrayAsSpan)
                return false;
        }

        return true;
    }

    private static bool HasMemberNamed(INamedTypeSymbol type, string name)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers(name).IsEmpty)
                return true;
        }

        return false;
    }

    /// <summary>
    /// A stream or reader in memory: of an in-memory type, a <c>StreamReader</c>/<c>BinaryReader</c> made over one, or a
    /// local that only ever holds such an object.
    /// </summary>
    private bool IsInMemory(IOperation? value, int depth)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        if (value is null || depth > 3)
            return false;
        if (IsInMemoryType(value.Type))
            return true;

        switch (value)
        {
            case IObjectCreationOperation creation when KnownTypes.IsOrDerivesFrom(creation.Type, _types.StreamReader) || KnownTypes.IsOrDerivesFrom(creation.Type, _types.BinaryReader):
                return creation.Arguments.Length > 0 && IsInMemory(creation.Arguments[0].Value, depth + 1);

            case ILocalReferenceOperation { Local: var local }:
                bool sawValue = false;
                foreach (var operation in Internal.OperationTree.SameFunctionDescendants<IOperation>(Internal.OperationTree.FunctionRoot(value)))
                {
                    var assigned = operation switch
                    {
                        IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                        _ => null,
                    };
                    if (assigned is null)
                        continue;
                    if (!IsInMemory(assigned, depth + 1))
                        return false;
                    sawValue = true;
                }

                return sawValue;

            default:
                return false;
        }
    }

    private bool IsInMemoryType(ITypeSymbol? type)
    {
        foreach (var inMemory in _types.InMemoryStreams)
        {
            if (KnownTypes.IsOrDerivesFrom(type, inMemory))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The awaitable twin of a synchronous method, the common library shape <c>Pause(int)</c> / <c>PauseAsync(int)</c>:
    /// same type, same static-ness, same parameters (optionally one more trailing optional <c>CancellationToken</c>) and a
    /// task-like return whose result matches the synchronous return type.
    /// </summary>
    public IMethodSymbol? FindAsyncCounterpart(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.ContainingType is null)
            return null;

        foreach (var member in method.ContainingType.GetMembers(method.Name + "Async"))
        {
            if (member is IMethodSymbol candidate
                && candidate.IsStatic == method.IsStatic
                && candidate.TypeParameters.Length == method.TypeParameters.Length
                && ParametersMatch(method, candidate)
                && ReturnMatches(method, candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private bool TryClassifyResult(IPropertyReferenceOperation reference, out BlockingCall call)
    {
        call = default;
        if (!_tasks.Result.Contains(reference.Property) || IsInsideNameOf(reference))
            return false; // nameof(t.Result) names the property without reading it

        call = new BlockingCall(BlockingKind.Wait, reference.Property.ContainingType.OriginalDefinition.Name + ".Result", AwaitFixKind.AwaitResult, reference.Instance, AwaitIt);
        return true;
    }

    private bool TryClassifyInvocation(IInvocationOperation invocation, out BlockingCall call)
    {
        call = default;
        var method = invocation.TargetMethod;

        // A zero timeout only tests: Wait(0) on a semaphore or event, WaitOne(0), Join(0), Sleep(0) return at once
        // (Sleep(0) gives up the rest of the time slice, it does not park the thread). Draining a semaphore with
        // while (s.Wait(0)) { } and "try to take it without waiting" helpers are common and correct in async code.
        if (_timeouts.Of(invocation) == TimeoutKind.Zero)
            return false;

        if (_sleep.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Sleep, "Thread.Sleep", AwaitFixKind.TaskDelay, null, "await 'Task.Delay'");
            return true;
        }

        if (_spinUntil.Contains(method))
        {
            // A busy wait burns the thread instead of parking it; there is no mechanical async rewrite of the condition.
            call = new BlockingCall(BlockingKind.Sleep, "SpinWait.SpinUntil", AwaitFixKind.None, null, "await a signal or 'Task.Delay'");
            return true;
        }

        if (_join.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "Thread.Join", AwaitFixKind.None, null, "run the work as a task and await it");
            return true;
        }

        if (_tasks.Wait.Contains(method))
        {
            // Only the parameterless form keeps its meaning as 'await t': the others add a timeout or a token.
            var fix = method.Parameters.Length == 0 ? AwaitFixKind.AwaitInstance : AwaitFixKind.None;
            call = new BlockingCall(BlockingKind.Wait, "Task.Wait", fix, invocation.Instance, fix == AwaitFixKind.None ? "await the task, with 'WaitAsync' for a timeout" : AwaitIt);
            return true;
        }

        if (_tasks.WaitAll.Contains(method) || _tasks.WaitAny.Contains(method))
        {
            call = ClassifyWaitAllOrAny(invocation, _tasks.WaitAll.Contains(method));
            return true;
        }

        if (_tasks.AwaiterGetResult.Contains(method))
        {
            var awaitable = invocation.Instance is IInvocationOperation { Instance: { } source } getAwaiter && _tasks.GetAwaiter.Contains(getAwaiter.TargetMethod)
                ? source
                : null;
            call = new BlockingCall(BlockingKind.Wait, "GetAwaiter().GetResult()", awaitable is null ? AwaitFixKind.None : AwaitFixKind.AwaitResult, awaitable, AwaitIt);
            return true;
        }

        if (_semaphoreWait.Contains(method) && IsGuardedByAvailablePermit(invocation))
            return false;

        if (_semaphoreWait.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "SemaphoreSlim.Wait", AwaitFixKind.WaitAsync, null, AwaitWithWaitAsync);
            return true;
        }

        if (_eventWait.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "ManualResetEventSlim.Wait", AwaitFixKind.None, null, NoAsyncWait);
            return true;
        }

        if (_countdownWait.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "CountdownEvent.Wait", AwaitFixKind.None, null, NoAsyncWait);
            return true;
        }

        if (_signalAndWait.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "Barrier.SignalAndWait", AwaitFixKind.None, null, NoAsyncWait);
            return true;
        }

        if (_waitHandleWaits.Contains(method))
        {
            call = new BlockingCall(BlockingKind.Wait, "WaitHandle." + method.Name, AwaitFixKind.None, null, NoAsyncWait);
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>while (s.CurrentCount &gt; 0) s.Wait();</c> or <c>if (s.CurrentCount &gt; 0) s.Wait();</c>: the code has just seen a
    /// permit to take, so the wait returns at once (draining a signal semaphore).
    /// </summary>
    private bool IsGuardedByAvailablePermit(IInvocationOperation wait)
    {
        var receiver = SymbolOf(wait.Instance);
        if (receiver is null)
            return false;

        for (var parent = wait.Parent; parent is not null; parent = parent.Parent)
        {
            IOperation? condition = parent switch
            {
                IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false } loop => loop.Condition,
                IConditionalOperation conditional when conditional.WhenTrue.Syntax.Span.Contains(wait.Syntax.Span) => conditional.Condition,
                _ => null,
            };

            if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.NotEquals } comparison
                && comparison.RightOperand.ConstantValue is { HasValue: true, Value: 0 }
                && comparison.LeftOperand is IPropertyReferenceOperation count && _semaphoreCount.Contains(count.Property)
                && SymbolEqualityComparer.Default.Equals(SymbolOf(count.Instance), receiver))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return false;
        }

        return false;
    }

    private static ISymbol? SymbolOf(IOperation? operation) => operation switch
    {
        IFieldReferenceOperation field => field.Field,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    private static BlockingCall ClassifyWaitAllOrAny(IInvocationOperation invocation, bool waitAll)
    {
        // Only calls that pass nothing but the tasks map onto WhenAll/WhenAny; a timeout or token changes the meaning.
        // (.NET 9 added WaitAll(IEnumerable<Task>, CancellationToken = default): fine while the token is left out.)
        var method = invocation.TargetMethod;
        bool onlyTasks = method.Parameters.Length >= 1
            && method.Parameters[0].Type is IArrayTypeSymbol or INamedTypeSymbol { IsGenericType: true }
            && OnlyFirstArgumentIsExplicit(invocation);
        var fix = AwaitFixKind.None;
        if (onlyTasks && waitAll)
            fix = AwaitFixKind.WhenAll;
        else if (onlyTasks && invocation.Parent is IExpressionStatementOperation)
            fix = AwaitFixKind.WhenAny; // WaitAny returns an index, WhenAny a task: equivalent only when the value is discarded.

        string when = waitAll ? "Task.WhenAll" : "Task.WhenAny";
        return new BlockingCall(BlockingKind.Wait, "Task." + method.Name, fix, null, "await '" + when + "'");
    }

    private static bool OnlyFirstArgumentIsExplicit(IInvocationOperation invocation)
    {
        for (int i = 1; i < invocation.Arguments.Length; i++)
        {
            if (invocation.Arguments[i].ArgumentKind != ArgumentKind.DefaultValue)
                return false;
        }

        return true;
    }

    private static bool IsInsideNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
                return true;
        }

        return false;
    }

    private bool ParametersMatch(IMethodSymbol method, IMethodSymbol candidate)
    {
        int extra = candidate.Parameters.Length - method.Parameters.Length;
        if (extra is not (0 or 1))
            return false;

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var expected = method.Parameters[i];
            var actual = candidate.Parameters[i];
            if (expected.RefKind != actual.RefKind || !SameType(expected.Type, actual.Type))
                return false;
        }

        // A trailing token must be optional: the fix passes one only when exactly one is in scope.
        return extra == 0
            || (KnownTypes.Is(candidate.Parameters[candidate.Parameters.Length - 1].Type, _types.CancellationToken)
                && candidate.Parameters[candidate.Parameters.Length - 1].IsOptional);
    }

    /// <summary>Types compared as written, so a method type parameter <c>T</c> matches the twin's own <c>T</c>.</summary>
    private static bool SameType(ITypeSymbol left, ITypeSymbol right) => left.ToDisplayString() == right.ToDisplayString();

    private bool ReturnMatches(IMethodSymbol method, IMethodSymbol candidate)
    {
        if (candidate.ReturnType is not INamedTypeSymbol returnType || !_tasks.IsTaskLike(returnType))
            return false;

        if (method.ReturnsVoid)
            return true; // awaiting Task<T> as a statement discards the result, as the sync call did

        return returnType.IsGenericType
            && returnType.TypeArguments.Length == 1
            && SameType(returnType.TypeArguments[0], method.ReturnType);
    }
}
