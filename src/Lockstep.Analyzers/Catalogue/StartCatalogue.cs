using System.Collections.Immutable;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>How a piece of code was started concurrently; decides multiplicity and how messages name it.</summary>
internal enum StartKind
{
    Thread,
    Task,
    ThreadPool,
    Parallel,
    ParallelInvoke,
    Plinq,
    Timer,
    AsyncFanOut,
    Annotated,

    /// <summary>
    /// A callback the runtime calls once, later, on a thread of its own choosing: <c>CancellationToken.Register</c>,
    /// <c>ContinueWith</c>, the <c>AsyncCallback</c> of a socket's <c>Begin…</c> call, a wait registration. Registering it
    /// again from its own run (the next receive, the next continuation) makes a chain of runs one after another.
    /// </summary>
    Callback,

    /// <summary>An event a component raises from its own threads: <c>FileSystemWatcher</c> changes, process output and exit.</summary>
    Event,

    /// <summary>
    /// An async method called per accepted connection and not awaited there: from its first await on, each call runs
    /// alongside the loop and the other calls (until then it runs on the loop's own thread, one call after another).
    /// </summary>
    Handler,

    /// <summary>A member of a type that shows it is meant for several threads: its callers may run it concurrently with the type's other members.</summary>
    Callers,
}

/// <summary>One API that runs the delegates given to it concurrently with the code that calls it.</summary>
internal readonly struct StartApi
{
    public StartApi(StartKind kind, string name, bool isRepeated, bool returnsWhenDone, bool asyncDelegatesOnly = false, string? occurrence = null)
    {
        Kind = kind;
        Name = name;
        IsRepeated = isRepeated;
        ReturnsWhenDone = returnsWhenDone;
        AsyncDelegatesOnly = asyncDelegatesOnly;
        Occurrence = occurrence;
    }

    /// <summary>
    /// What each run of the delegate answers, when there is one run per something that grows with the input or with
    /// time (LS4001's "one thread per …"): <c>timer tick</c>, <c>file system event</c>, <c>accepted connection</c>,
    /// <c>item of a Parallel.ForEach</c>. Null for work started once.
    /// </summary>
    public string? Occurrence { get; }

    public StartKind Kind { get; }

    /// <summary>How messages name the API: <c>new Thread</c>, <c>Task.Run</c>, <c>Parallel.ForEach</c>.</summary>
    public string Name { get; }

    /// <summary>The API runs each delegate many times, possibly at once (a parallel body, a timer callback).</summary>
    public bool IsRepeated { get; }

    /// <summary>The call returns only when the started work is done (<c>Parallel.For</c>): the caller does not run alongside it.</summary>
    public bool ReturnsWhenDone { get; }

    /// <summary>Only async delegates are started (<c>items.Select(async x =&gt; …)</c>); a synchronous selector just maps.</summary>
    public bool AsyncDelegatesOnly { get; }
}

/// <summary>
/// What starts concurrent work: <c>new Thread</c>, <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>new Task</c>,
/// <c>ThreadPool.QueueUserWorkItem</c>, <c>Parallel.For/ForEach/ForEachAsync/Invoke</c>, PLINQ, <c>System.Threading.Timer</c>
/// callbacks, <c>System.Timers.Timer.Elapsed</c> handlers and async functions started together through <c>Select</c>;
/// callbacks and events that run on the runtime's threads (<c>FileSystemWatcher</c> and <c>Process</c> events,
/// <c>CancellationToken.Register</c>, <c>ContinueWith</c>, <c>ThreadPool.RegisterWaitForSingleObject</c>, the callbacks of
/// socket <c>Begin…</c> calls) and async handlers called per accepted connection or message without being awaited;
/// which of those create a dedicated thread (LS4001); and the waits for a started worker (LS4002).
/// </summary>
internal sealed class StartCatalogue
{
    private readonly KnownTypes _types;
    private readonly Timeouts _timeouts;
    private readonly MemberSet _taskRun;
    private readonly MemberSet _startNew;
    private readonly MemberSet _queueWorkItem;
    private readonly MemberSet _parallelInvoke;
    private readonly MemberSet _parallelLoops;
    private readonly MemberSet _parallelForEachAsync;
    private readonly MemberSet _asParallel;
    private readonly MemberSet _select;
    private readonly MemberSet _elapsed;
    private readonly MemberSet _threadStart;
    private readonly MemberSet _threadJoin;
    private readonly MemberSet _taskWait;
    private readonly MemberSet _defaultScheduler;
    private readonly MemberSet _isBackground;
    private readonly MemberSet _harmlessThreadSettings;
    private readonly MemberSet _longRunningOption;
    private readonly MemberSet _watcherEvents;
    private readonly MemberSet _processLineEvents;
    private readonly MemberSet _processExited;
    private readonly MemberSet _processWaitForExit;
    private readonly MemberSet _register;
    private readonly MemberSet _registerWait;
    private readonly MemberSet _beginCalls;
    private readonly MemberSet _beginAccepts;
    private readonly MemberSet _beginReceives;
    private readonly TaskCatalogue _tasks;
    private readonly LoopCatalogue _loops;
    private readonly int? _longRunning;

    public StartCatalogue(KnownTypes types, Timeouts timeouts, TaskCatalogue tasks, LoopCatalogue loops)
    {
        _timeouts = timeouts;
        _types = types;
        _tasks = tasks;
        _loops = loops;
        _watcherEvents = MemberSet.Of(types.FileSystemWatcher, "Changed", "Created", "Deleted", "Renamed", "Error");
        _processLineEvents = MemberSet.Of(types.Process, "OutputDataReceived", "ErrorDataReceived");
        _processExited = MemberSet.Of(types.Process, "Exited");
        _processWaitForExit = MemberSet.Of(types.Process, "WaitForExit");
        _register = MemberSet.Of(types.CancellationToken, "Register", "UnsafeRegister");
        _registerWait = MemberSet.Of(types.ThreadPool, "RegisterWaitForSingleObject", "UnsafeRegisterWaitForSingleObject");
        _beginCalls = MemberSet.Union(
            MemberSet.Of(types.Socket, "BeginAccept", "BeginConnect", "BeginDisconnect", "BeginReceive", "BeginReceiveFrom", "BeginReceiveMessageFrom", "BeginSend", "BeginSendFile", "BeginSendTo"),
            MemberSet.Of(types.TcpListener, "BeginAcceptSocket", "BeginAcceptTcpClient"),
            MemberSet.Of(types.TcpClient, "BeginConnect"),
            MemberSet.Of(types.UdpClient, "BeginReceive", "BeginSend"));
        _beginAccepts = MemberSet.Union(MemberSet.Of(types.Socket, "BeginAccept"), MemberSet.Of(types.TcpListener, "BeginAcceptSocket", "BeginAcceptTcpClient"));
        _beginReceives = MemberSet.Union(MemberSet.Of(types.Socket, "BeginReceive", "BeginReceiveFrom", "BeginReceiveMessageFrom"), MemberSet.Of(types.UdpClient, "BeginReceive"));
        _taskRun = MemberSet.Of(types.Task, "Run");
        _startNew = MemberSet.Union(MemberSet.Of(types.TaskFactory, "StartNew"), MemberSet.Of(types.TaskFactoryOfT, "StartNew"));
        _queueWorkItem = MemberSet.Of(types.ThreadPool, "QueueUserWorkItem", "UnsafeQueueUserWorkItem");
        _parallelInvoke = MemberSet.Of(types.Parallel, "Invoke");
        _parallelLoops = MemberSet.Of(types.Parallel, "For", "ForEach", "ForEachAsync");
        _parallelForEachAsync = MemberSet.Of(types.Parallel, "ForEachAsync");
        _asParallel = MemberSet.Of(types.ParallelEnumerable, "AsParallel");
        _select = MemberSet.Of(types.Enumerable, "Select");
        _elapsed = MemberSet.Of(types.TimersTimer, "Elapsed");
        _threadStart = MemberSet.Of(types.Thread, "Start");
        _threadJoin = MemberSet.Of(types.Thread, "Join");
        _taskWait = MemberSet.Of(types.Task, "Wait");
        _defaultScheduler = MemberSet.Of(types.TaskScheduler, "Default");
        _isBackground = MemberSet.Of(types.Thread, "IsBackground");
        _harmlessThreadSettings = MemberSet.Of(types.Thread, "Name", "Priority");
        _longRunningOption = MemberSet.Of(types.TaskCreationOptions, "LongRunning");
        foreach (var member in types.TaskCreationOptions?.GetMembers("LongRunning") ?? ImmutableArray<ISymbol>.Empty)
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: int value })
                _longRunning = value;
        }
    }

    /// <summary>
    /// Whether <paramref name="operation"/> starts the delegates it is given (its arguments, or the handler of a timer
    /// event), and how.
    /// </summary>
    public bool TryGetStart(IOperation operation, out StartApi api, out ImmutableArray<IOperation> delegates)
    {
        api = default;
        delegates = ImmutableArray<IOperation>.Empty;
        switch (operation)
        {
            case IObjectCreationOperation creation when KnownTypes.Is(creation.Type, _types.Thread):
                api = new StartApi(StartKind.Thread, "new Thread", isRepeated: false, returnsWhenDone: false);
                delegates = ArgumentValues(creation.Arguments);
                return true;

            case IObjectCreationOperation creation when KnownTypes.IsOrDerivesFrom(creation.Type, _types.Task):
                api = new StartApi(StartKind.Task, "new Task", isRepeated: false, returnsWhenDone: false);
                delegates = ArgumentValues(creation.Arguments);
                return true;

            case IObjectCreationOperation creation when KnownTypes.Is(creation.Type, _types.ThreadingTimer):
                // A timer callback that takes longer than the period overlaps with its next run; a timer created with an
                // infinite period fires once (code that re-arms it with Change(due, Infinite) runs the callback one
                // after the other), so it does not run concurrently with itself.
                api = new StartApi(StartKind.Timer, "new Timer", isRepeated: !FiresOnce(creation), returnsWhenDone: false, occurrence: FiresOnce(creation) ? null : "timer tick");
                delegates = ArgumentValues(creation.Arguments);
                return true;

            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation reference } assignment when _elapsed.Contains(reference.Event):
                api = new StartApi(StartKind.Timer, "Timer.Elapsed", isRepeated: true, returnsWhenDone: false, occurrence: "timer tick");
                delegates = ImmutableArray.Create(assignment.HandlerValue);
                return true;

            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation reference } assignment when _watcherEvents.Contains(reference.Event):
                // Raised on pool threads as changes arrive: one handler can run for several changes at once.
                api = new StartApi(StartKind.Event, "FileSystemWatcher." + reference.Event.Name, isRepeated: true, returnsWhenDone: false, occurrence: "file system event");
                delegates = ImmutableArray.Create(assignment.HandlerValue);
                return true;

            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation reference } assignment when _processLineEvents.Contains(reference.Event) || _processExited.Contains(reference.Event):
                // Each redirected stream has one reader that raises its lines one after another, so a handler does not
                // overlap with itself; the output handler, the error handler, Exited and the code that started the
                // process run at the same time.
                api = new StartApi(StartKind.Event, "Process." + reference.Event.Name, isRepeated: false, returnsWhenDone: false, occurrence: _processLineEvents.Contains(reference.Event) ? "line of process output" : null);
                delegates = ImmutableArray.Create(assignment.HandlerValue);
                return true;

            case IInvocationOperation invocation:
                return TryGetInvocationStart(invocation, out api, out delegates);

            default:
                return false;
        }
    }

    private bool TryGetInvocationStart(IInvocationOperation invocation, out StartApi api, out ImmutableArray<IOperation> delegates)
    {
        var method = invocation.TargetMethod;
        delegates = ArgumentValues(invocation.Arguments);
        if (_taskRun.Contains(method))
            api = new StartApi(StartKind.Task, "Task.Run", isRepeated: false, returnsWhenDone: false);
        else if (_startNew.Contains(method))
            api = new StartApi(StartKind.Task, "Task.Factory.StartNew", isRepeated: false, returnsWhenDone: false);
        else if (_queueWorkItem.Contains(method))
            api = new StartApi(StartKind.ThreadPool, "ThreadPool." + method.Name, isRepeated: false, returnsWhenDone: false);
        else if (_parallelInvoke.Contains(method))
            api = new StartApi(StartKind.ParallelInvoke, "Parallel.Invoke", isRepeated: false, returnsWhenDone: true); // each action once, all at once
        else if (_parallelLoops.Contains(method))
            api = new StartApi(StartKind.Parallel, "Parallel." + method.Name, isRepeated: true, returnsWhenDone: !_parallelForEachAsync.Contains(method), occurrence: "item of Parallel." + method.Name);
        else if (KnownTypes.Is(method.ContainingType, _types.ParallelEnumerable))
            api = new StartApi(StartKind.Plinq, "PLINQ " + method.Name, isRepeated: true, returnsWhenDone: !_asParallel.Contains(method), occurrence: "item of a parallel query");
        else if (_select.Contains(method))
            // items.Select(async x => …) or items.Select(FooAsync): every element starts an async call that runs on until
            // its first incomplete await and then continues on the thread pool, alongside the others.
            api = new StartApi(StartKind.AsyncFanOut, "Select", isRepeated: true, returnsWhenDone: false, asyncDelegatesOnly: true, occurrence: "item");
        else if (_register.Contains(method))
            // Runs once, when the token is cancelled, on the thread that cancels it (or at once if it already is).
            api = new StartApi(StartKind.Callback, "CancellationToken." + method.Name, isRepeated: false, returnsWhenDone: false);
        else if (_tasks.ContinueWith.Contains(method) && RunsOnDefaultScheduler(invocation))
            // Runs once, when the antecedent completes, on a pool thread (or the completing one).
            api = new StartApi(StartKind.Callback, "ContinueWith", isRepeated: false, returnsWhenDone: false);
        else if (_registerWait.Contains(method))
            api = new StartApi(StartKind.Callback, "ThreadPool." + method.Name, isRepeated: !ExecutesOnlyOnce(invocation), returnsWhenDone: false, occurrence: ExecutesOnlyOnce(invocation) ? null : "signal of the wait handle");
        else if (_beginCalls.Contains(method))
            // The AsyncCallback runs once, when the operation completes, on a pool thread.
            api = new StartApi(StartKind.Callback, method.ContainingType.Name + "." + method.Name, isRepeated: false, returnsWhenDone: false, occurrence: BeginOccurrence(method));
        else if (TryGetHandlerPerInput(invocation, out string driver))
        {
            api = new StartApi(StartKind.Handler, driver, isRepeated: true, returnsWhenDone: false, occurrence: driver);
            delegates = ImmutableArray.Create<IOperation>(invocation);
        }
        else
        {
            api = default;
            delegates = ImmutableArray<IOperation>.Empty;
            return false;
        }

        return true;
    }

    /// <summary>
    /// <c>_ = HandleAsync(client);</c> in a loop that accepts connections: an async method of the compilation whose task
    /// the loop drops, so each call runs on alongside the loop and the calls before it. A task awaited in the iteration,
    /// or kept (assigned, added to a list), is not this form: the code decides when to wait. Loops that take messages
    /// from a queue are left out on purpose: a mailbox loop that hands a message to an async step it does not await is
    /// the single-threaded design of actor runtimes, whose steps are ordered by the mailbox, not free to overlap.
    /// </summary>
    private bool TryGetHandlerPerInput(IInvocationOperation invocation, out string driver)
    {
        driver = string.Empty;
        var method = invocation.TargetMethod;
        if (method.DeclaringSyntaxReferences.IsEmpty || !(method.IsAsync || _tasks.IsTaskLike(method.ReturnType)))
            return false;

        IOperation value = invocation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
            value = value.Parent;
        bool dropped = value.Parent is IExpressionStatementOperation
            || value.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard && discard.Value == value;
        if (!dropped)
            return false;

        for (var parent = invocation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return false;
            if (parent is not ILoopOperation loop)
                continue;

            foreach (var call in Internal.OperationTree.SameFunctionDescendants<IInvocationOperation>(loop))
            {
                if (_loops.IsAccept(call.TargetMethod))
                {
                    driver = "accepted connection";
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A server's accept callback registers the next accept and a connection's receive callback the next receive: one
    /// run per accepted connection, one per receive. Other completions (a send, a connect) run once per call.
    /// </summary>
    private string? BeginOccurrence(IMethodSymbol method) =>
        _beginAccepts.Contains(method) ? "accepted connection" : _beginReceives.Contains(method) ? "receive" : null;

    /// <summary><c>ContinueWith</c> without a scheduler, or on <c>TaskScheduler.Default</c>: a pool thread. A scheduler of the caller's (a UI context) runs it where that scheduler decides.</summary>
    private bool RunsOnDefaultScheduler(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (KnownTypes.Is(argument.Parameter?.Type, _types.TaskScheduler) && argument.ArgumentKind == ArgumentKind.Explicit
                && !(OperationTree.Unconverted(argument.Value) is IPropertyReferenceOperation scheduler && _defaultScheduler.Contains(scheduler.Property)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>RegisterWaitForSingleObject(…, executeOnlyOnce: true)</c>: the callback runs once, not every time the handle is signalled.</summary>
    private static bool ExecutesOnlyOnce(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "executeOnlyOnce")
                return argument.Value.ConstantValue is { HasValue: true, Value: true };
        }

        return false;
    }

    /// <summary>
    /// <c>process.WaitForExit()</c> without a timeout: it returns once the process has exited and its redirected output
    /// has been read to the end, so the process's event handlers are done.
    /// </summary>
    public bool IsWaitForProcessEvents(IInvocationOperation invocation) =>
        _processWaitForExit.Contains(invocation.TargetMethod) && invocation.Arguments.Length == 0;

    /// <summary>
    /// A lambda handed to LINQ, <c>Parallel</c> or a <c>ForEach</c> runs once per element: work it starts is started
    /// many times. (<c>ForEach</c> by name: <c>List.ForEach</c>, <c>Array.ForEach</c> and look-alikes.)
    /// </summary>
    public bool CallsPerElement(IInvocationOperation invocation) =>
        KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Enumerable)
        || KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.ParallelEnumerable)
        || KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Parallel)
        || invocation.TargetMethod.Name == "ForEach";

    /// <summary><c>thread.Start()</c> / <c>thread.Start(arg)</c>.</summary>
    public bool IsThreadStart(IInvocationOperation invocation) => _threadStart.Contains(invocation.TargetMethod);

    /// <summary>
    /// <c>TaskFactory.StartNew</c> with <c>TaskCreationOptions.LongRunning</c> among its options and no scheduler other
    /// than <c>TaskScheduler.Default</c>: the default scheduler gives such a task a thread of its own instead of a pool
    /// thread; a custom scheduler decides itself where the task runs.
    /// </summary>
    public bool IsLongRunningStartNew(IInvocationOperation invocation)
    {
        if (!_startNew.Contains(invocation.TargetMethod) || _longRunning is not { } longRunning)
            return false;

        bool isLongRunning = false;
        foreach (var argument in invocation.Arguments)
        {
            var type = argument.Parameter?.Type;
            if (KnownTypes.Is(type, _types.TaskCreationOptions))
            {
                if (argument.Value.ConstantValue is { HasValue: true, Value: int options } && (options & longRunning) != 0)
                    isLongRunning = true;
            }
            else if (KnownTypes.Is(type, _types.TaskScheduler) && argument.ArgumentKind == ArgumentKind.Explicit
                && !(OperationTree.Unconverted(argument.Value) is IPropertyReferenceOperation scheduler && _defaultScheduler.Contains(scheduler.Property)))
            {
                return false;
            }
        }

        return isLongRunning;
    }

    /// <summary><c>Thread.IsBackground</c>: a background thread does not keep the process alive, like a pool thread.</summary>
    public bool IsBackgroundFlag(ISymbol? property) => _isBackground.Contains(property);

    /// <summary>Thread settings that change nothing the work computes: its name and its scheduling priority.</summary>
    public bool IsHarmlessThreadSetting(ISymbol? property) => _harmlessThreadSettings.Contains(property);

    /// <summary>The <c>TaskCreationOptions.LongRunning</c> member itself, as code names it.</summary>
    public bool IsLongRunningOption(ISymbol? field) => _longRunningOption.Contains(field);

    /// <summary><c>Task.Factory.StartNew</c> in any form.</summary>
    public bool IsStartNew(IInvocationOperation invocation) => _startNew.Contains(invocation.TargetMethod);

    /// <summary><c>thread.Join()</c> without a timeout.</summary>
    public bool IsThreadJoin(IInvocationOperation invocation) => _threadJoin.Contains(invocation.TargetMethod) && invocation.Arguments.Length == 0;

    /// <summary><c>thread.Join(…)</c> or <c>task.Wait(…)</c>: the caller waits for that one worker.</summary>
    public bool IsWaitForWorker(IInvocationOperation invocation) =>
        !invocation.TargetMethod.IsStatic && (_threadJoin.Contains(invocation.TargetMethod) || _taskWait.Contains(invocation.TargetMethod));

    /// <summary>An expression that creates a worker: <c>new Thread</c>, <c>new Task</c>, <c>Task.Run</c>, <c>Task.Factory.StartNew</c>.</summary>
    public bool IsWorkerCreation(IOperation? value)
    {
        value = OperationTree.Unconverted(value);
        return value switch
        {
            IObjectCreationOperation creation => KnownTypes.Is(creation.Type, _types.Thread) || KnownTypes.IsOrDerivesFrom(creation.Type, _types.Task),
            IInvocationOperation invocation => _taskRun.Contains(invocation.TargetMethod) || _startNew.Contains(invocation.TargetMethod),
            _ => false,
        };
    }

    /// <summary>A <c>new Thread(…)</c>.</summary>
    public bool IsThreadCreation(IOperation? value) => OperationTree.Unconverted(value) is IObjectCreationOperation creation && KnownTypes.Is(creation.Type, _types.Thread);

    /// <summary>A <c>Thread</c>.</summary>
    public bool IsThread(ITypeSymbol? type) => KnownTypes.Is(type, _types.Thread);

    private static ImmutableArray<IOperation> ArgumentValues(ImmutableArray<IArgumentOperation> arguments)
    {
        var values = ImmutableArray.CreateBuilder<IOperation>(arguments.Length);
        foreach (var argument in arguments)
            values.Add(argument.Value);
        return values.MoveToImmutable();
    }

    /// <summary><c>new Timer(callback, state, due, Timeout.Infinite)</c>: the period argument says it fires once.</summary>
    private bool FiresOnce(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "period")
                return _timeouts.OfArgument(argument) == TimeoutKind.Infinite;
        }

        return false;
    }
}
