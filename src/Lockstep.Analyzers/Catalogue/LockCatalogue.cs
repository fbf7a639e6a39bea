using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>Whether a lock admits one holder or several (a read lock, a semaphore of unknown count).</summary>
internal enum LockMode
{
    Exclusive,
    Shared,
}

/// <summary>How long an acquisition may wait for the lock.</summary>
internal enum LockWait
{
    /// <summary>Until it gets the lock: the form that can deadlock.</summary>
    Indefinite,

    /// <summary>At most a finite timeout, then it gives up.</summary>
    Timed,

    /// <summary>Never waits: a try-form without a timeout, or a zero timeout (<c>Wait(0)</c>, <c>TryEnter(o)</c>).</summary>
    Immediate,
}

/// <summary>One call that takes or releases a lock primitive, as the catalogue reads it.</summary>
internal readonly struct LockCall
{
    public LockCall(IInvocationOperation invocation, IOperation? subject, LockMode mode, LockWait wait, ISymbol? takenFlag, bool isSemaphore)
    {
        Invocation = invocation;
        Subject = subject;
        Mode = mode;
        Wait = wait;
        TakenFlag = takenFlag;
        IsSemaphore = isSemaphore;
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>The object whose lock it is: <c>Monitor.Enter(o)</c>'s argument, the receiver of every other primitive.</summary>
    public IOperation? Subject { get; }

    public LockMode Mode { get; }

    public LockWait Wait { get; }

    /// <summary>The local or field a <c>ref bool lockTaken</c> argument sets when the lock was taken.</summary>
    public ISymbol? TakenFlag { get; }

    /// <summary>A <c>SemaphoreSlim</c>: a lock only when it is created with a count of one; otherwise a signal.</summary>
    public bool IsSemaphore { get; }
}

/// <summary>
/// The lock primitives as data: which members acquire (and whether they may wait for ever, give up after a timeout or
/// never wait), which release, which return a scope that holds the lock until it is disposed, which lock an argument
/// instead of the receiver, and which take a <c>lockTaken</c> flag. Covers <c>Monitor</c> (and <c>lock</c>),
/// <c>System.Threading.Lock</c>, <c>SemaphoreSlim</c>, <c>Mutex</c>, <c>ReaderWriterLockSlim</c>, <c>SpinLock</c>, and the
/// runtime library's <c>AsyncLock</c>, <c>OrderedLock</c>, <c>Guarded&lt;T&gt;</c> and <c>Locks.AcquireInOrder</c>.
/// </summary>
internal sealed class LockCatalogue
{
    /// <summary>The parameter of the <c>OrderedLock</c> constructor that takes the rank: <c>new OrderedLock("ledger", rank: 1)</c>.</summary>
    public const string OrderedLockRankParameter = "rank";

    private readonly KnownTypes _types;
    private readonly MemberSet _monitorAcquire;
    private readonly MemberSet _monitorTryAcquire;
    private readonly MemberSet _monitorRelease;
    private readonly MemberSet _monitorWaitOrPulse;
    private readonly MemberSet _monitorWait;
    private readonly MemberSet _exclusiveAcquire;
    private readonly MemberSet _exclusiveTryAcquire;
    private readonly MemberSet _sharedAcquire;
    private readonly MemberSet _sharedTryAcquire;
    private readonly MemberSet _semaphoreWait;
    private readonly MemberSet _waitOne;
    private readonly MemberSet _exclusiveRelease;
    private readonly MemberSet _sharedRelease;
    private readonly MemberSet _permitRelease;
    private readonly MemberSet _scopes;
    private readonly MemberSet _libraryScopes;
    private readonly MemberSet _acquireInOrder;
    private readonly MemberSet _getType;
    private readonly Timeouts _timeouts;

    public LockCatalogue(KnownTypes types, TaskCatalogue tasks, Timeouts timeouts)
    {
        _types = types;
        Tasks = tasks;
        _monitorAcquire = MemberSet.Of(types.Monitor, "Enter");
        _monitorTryAcquire = MemberSet.Of(types.Monitor, "TryEnter");
        _monitorRelease = MemberSet.Of(types.Monitor, "Exit");
        _monitorWaitOrPulse = MemberSet.Of(types.Monitor, "Wait", "Pulse", "PulseAll");
        _monitorWait = MemberSet.Of(types.Monitor, "Wait");
        _exclusiveAcquire = MemberSet.Union(
            MemberSet.Of(types.Lock, "Enter"),
            MemberSet.Of(types.SpinLock, "Enter"),
            MemberSet.Of(types.ReaderWriterLockSlim, "EnterWriteLock", "EnterUpgradeableReadLock"));
        _exclusiveTryAcquire = MemberSet.Union(
            MemberSet.Of(types.Lock, "TryEnter"),
            MemberSet.Of(types.SpinLock, "TryEnter"),
            MemberSet.Of(types.ReaderWriterLockSlim, "TryEnterWriteLock", "TryEnterUpgradeableReadLock"));
        _sharedAcquire = MemberSet.Of(types.ReaderWriterLockSlim, "EnterReadLock");
        _sharedTryAcquire = MemberSet.Of(types.ReaderWriterLockSlim, "TryEnterReadLock");
        _semaphoreWait = MemberSet.Of(types.SemaphoreSlim, "Wait", "WaitAsync");
        _waitOne = MemberSet.Of(types.WaitHandle, "WaitOne");
        _exclusiveRelease = MemberSet.Union(
            MemberSet.Of(types.Lock, "Exit"),
            MemberSet.Of(types.SpinLock, "Exit"),
            MemberSet.Of(types.Mutex, "ReleaseMutex"),
            MemberSet.Of(types.ReaderWriterLockSlim, "ExitWriteLock", "ExitUpgradeableReadLock"));
        _sharedRelease = MemberSet.Union(
            MemberSet.Of(types.ReaderWriterLockSlim, "ExitReadLock"),
            MemberSet.Of(types.SemaphoreSlim, "Release"));
        _permitRelease = MemberSet.Union(
            MemberSet.Of(types.SemaphoreSlim, "Release"),
            MemberSet.Of(types.Semaphore, "Release"));
        _scopes = MemberSet.Union(
            MemberSet.Of(types.Lock, "EnterScope"),
            MemberSet.Of(types.AsyncLock, "LockAsync", "Lock"),
            MemberSet.Of(types.OrderedLock, "EnterScope"),
            MemberSet.Of(types.Guarded, "Lock"));
        _libraryScopes = MemberSet.Union(
            MemberSet.Of(types.AsyncLock, "LockAsync", "Lock"),
            MemberSet.Of(types.OrderedLock, "EnterScope"),
            MemberSet.Of(types.Guarded, "Lock"));
        _acquireInOrder = MemberSet.Of(types.Locks, "AcquireInOrder");
        _getType = MemberSet.Of(types.Object, "GetType");
        _timeouts = timeouts;
    }

    public TaskCatalogue Tasks { get; }

    /// <summary>
    /// The call under <c>await</c>, conversions, parentheses and <c>ConfigureAwait(…)</c>: <c>await sem.WaitAsync().ConfigureAwait(false)</c>
    /// is the <c>WaitAsync</c> call.
    /// </summary>
    public IOperation? StripAwait(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IAwaitOperation awaitOperation:
                    operation = awaitOperation.Operation;
                    break;
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                case IInvocationOperation { Instance: { } instance } configure when Tasks.IsConfigureAwait(configure):
                    operation = instance;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="invocation"/> takes a lock primitive by a call (<c>Monitor.Enter</c>, <c>sem.Wait()</c>,
    /// <c>mutex.WaitOne()</c>, <c>rw.EnterReadLock()</c>…); scopes and <c>AcquireInOrder</c> are asked separately.
    /// </summary>
    public bool IsAcquisition(IInvocationOperation invocation, out LockCall call)
    {
        call = default;
        var method = invocation.TargetMethod;
        IOperation? subject = invocation.Instance;
        LockMode mode = LockMode.Exclusive;
        bool tryForm;
        bool semaphore = false;

        if (_monitorAcquire.Contains(method) || _monitorTryAcquire.Contains(method))
        {
            if (invocation.Arguments.Length == 0)
                return false;
            subject = invocation.Arguments[0].Value;
            tryForm = _monitorTryAcquire.Contains(method);
        }
        else if (_exclusiveAcquire.Contains(method) || _exclusiveTryAcquire.Contains(method))
        {
            tryForm = _exclusiveTryAcquire.Contains(method);
        }
        else if (_sharedAcquire.Contains(method) || _sharedTryAcquire.Contains(method))
        {
            mode = LockMode.Shared;
            tryForm = _sharedTryAcquire.Contains(method);
        }
        else if (_semaphoreWait.Contains(method))
        {
            // A semaphore created with another count than one is a signal or a throttle: waiting on it takes no lock.
            if (SemaphoreCounts.IsKnownNonMutex(subject))
                return false;

            // A semaphore of unknown count may admit several holders: shared, until its creation shows a count of one.
            mode = LockMode.Shared;
            semaphore = true;
            tryForm = false;
        }
        else if (_waitOne.Contains(method) && KnownTypes.IsOrDerivesFrom(invocation.Instance?.Type, _types.Mutex))
        {
            tryForm = false; // WaitOne is declared on WaitHandle; only a Mutex receiver is a lock
        }
        else
        {
            return false;
        }

        call = new LockCall(invocation, subject, mode, WaitOf(invocation, tryForm), TakenFlagOf(invocation), semaphore);
        return true;
    }

    /// <summary>Whether <paramref name="invocation"/> releases a lock primitive taken by a call (Exit, Release, ReleaseMutex, Exit*Lock).</summary>
    public bool IsRelease(IInvocationOperation invocation, out LockCall call)
    {
        call = default;
        var method = invocation.TargetMethod;
        if (_monitorRelease.Contains(method))
        {
            if (invocation.Arguments.Length == 0)
                return false;
            call = new LockCall(invocation, invocation.Arguments[0].Value, LockMode.Exclusive, LockWait.Immediate, null, false);
            return true;
        }

        bool shared = _sharedRelease.Contains(method);
        if (!shared && !_exclusiveRelease.Contains(method))
            return false;

        bool semaphore = KnownTypes.Is(method.ContainingType, _types.SemaphoreSlim);
        call = new LockCall(invocation, invocation.Instance, shared ? LockMode.Shared : LockMode.Exclusive, LockWait.Immediate, null, semaphore);
        return true;
    }

    /// <summary>
    /// A call that returns a scope holding its receiver's lock until the scope is disposed: <c>Lock.EnterScope()</c>,
    /// the runtime library's <c>AsyncLock.LockAsync()</c>/<c>Lock()</c>, <c>OrderedLock.EnterScope()</c>,
    /// <c>Guarded&lt;T&gt;.Lock()</c>, and, by the same convention, an instance method named <c>EnterScope</c>,
    /// <c>LockAsync</c> or <c>Lock</c> of any other type (Nito.AsyncEx's and most hand-written async locks use these names).
    /// </summary>
    public bool IsScope(IInvocationOperation invocation) =>
        invocation.Instance is not null
        && (_scopes.Contains(invocation.TargetMethod) || invocation.TargetMethod.Name is "EnterScope" or "LockAsync" or "Lock");

    /// <summary>
    /// A scope of the runtime library's own locks: <c>AsyncLock.LockAsync()</c>/<c>Lock()</c>, <c>OrderedLock.EnterScope()</c>,
    /// <c>Guarded&lt;T&gt;.Lock()</c>. The lock stays held until the returned scope is disposed.
    /// </summary>
    public bool IsLibraryScope(IInvocationOperation invocation) => invocation.Instance is not null && _libraryScopes.Contains(invocation.TargetMethod);

    /// <summary><c>x.Dispose()</c>: how a scope held in a variable is released.</summary>
    public static bool IsDispose(IInvocationOperation invocation) => invocation.TargetMethod is { Name: "Dispose", Parameters.Length: 0 };

    /// <summary>How long a scope call may wait: a <c>TimeSpan</c> or millisecond timeout argument makes it give up.</summary>
    public LockWait ScopeWait(IInvocationOperation scope) => WaitOf(scope, tryForm: false, timeSpanOnly: true);

    /// <summary><c>Locks.AcquireInOrder(a, b, …)</c>: takes each of its arguments in one global order, for the scope it returns.</summary>
    public bool IsAcquireInOrder(IInvocationOperation invocation) => _acquireInOrder.Contains(invocation.TargetMethod);

    /// <summary><c>Monitor.Wait</c>, <c>Pulse</c>, <c>PulseAll</c>: need the lock held; <c>Wait</c> releases it while it waits.</summary>
    public bool IsMonitorWaitOrPulse(IInvocationOperation invocation) => _monitorWaitOrPulse.Contains(invocation.TargetMethod);

    /// <summary><c>Monitor.Wait</c> alone.</summary>
    public bool IsMonitorWait(IInvocationOperation invocation) => _monitorWait.Contains(invocation.TargetMethod);

    /// <summary>Any Monitor member that names the object whose lock it takes, waits on or releases as its first argument.</summary>
    public bool IsMonitorCall(IInvocationOperation invocation) =>
        invocation.Arguments.Length > 0
        && (_monitorAcquire.Contains(invocation.TargetMethod) || _monitorTryAcquire.Contains(invocation.TargetMethod)
            || _monitorRelease.Contains(invocation.TargetMethod) || _monitorWaitOrPulse.Contains(invocation.TargetMethod));

    /// <summary><c>Monitor.Enter</c> or <c>Monitor.TryEnter</c>.</summary>
    public bool IsMonitorEnter(IInvocationOperation invocation) =>
        _monitorAcquire.Contains(invocation.TargetMethod) || _monitorTryAcquire.Contains(invocation.TargetMethod);

    /// <summary>A type a <c>using</c> can dispose: it implements <c>IDisposable</c>, or has a parameterless <c>Dispose()</c> (a ref struct scope).</summary>
    public static bool IsDisposable(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None)
            return false;

        foreach (var @interface in type.AllInterfaces)
        {
            if (@interface.SpecialType == SpecialType.System_IDisposable)
                return true;
        }

        foreach (var member in type.GetMembers("Dispose"))
        {
            if (member is IMethodSymbol { Parameters.Length: 0 })
                return true;
        }

        return false;
    }

    /// <summary><c>obj.GetType()</c>: the Type object, which any code in the process can lock.</summary>
    public bool IsGetType(IInvocationOperation invocation) => _getType.Contains(invocation.TargetMethod);

    /// <summary><c>Monitor.Enter</c>/<c>TryEnter</c>, or <c>Lock.Enter</c>/<c>TryEnter</c>: the calls that make an object a lock.</summary>
    public bool IsEnterCall(IInvocationOperation invocation) =>
        _monitorAcquire.Contains(invocation.TargetMethod) || _monitorTryAcquire.Contains(invocation.TargetMethod)
        || (_exclusiveAcquire.Contains(invocation.TargetMethod) || _exclusiveTryAcquire.Contains(invocation.TargetMethod)) && KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.Lock);

    /// <summary><c>Monitor.Enter(object)</c> with no lockTaken flag: the one acquisition a <c>lock</c> statement can replace.</summary>
    public bool IsPlainMonitorEnter(IInvocationOperation invocation) =>
        _monitorAcquire.Contains(invocation.TargetMethod) && invocation.TargetMethod.Parameters.Length == 1;

    /// <summary>A <c>SemaphoreSlim</c>.</summary>
    public bool IsSemaphoreSlim(ITypeSymbol? type) => KnownTypes.Is(type, _types.SemaphoreSlim);

    /// <summary><c>sem.Release()</c> with no count.</summary>
    public bool IsSemaphoreRelease(IInvocationOperation invocation) =>
        _sharedRelease.Contains(invocation.TargetMethod) && KnownTypes.Is(invocation.TargetMethod.ContainingType, _types.SemaphoreSlim);

    /// <summary>
    /// A wait for a permit of a semaphore of any count (<c>SemaphoreSlim.Wait/WaitAsync</c>, <c>Semaphore.WaitOne</c>),
    /// and the semaphore it waits on: with a count above one, a throttle that bounds how much runs at once.
    /// </summary>
    public bool IsPermitWait(IInvocationOperation invocation, out IOperation? semaphore)
    {
        semaphore = invocation.Instance;
        return _semaphoreWait.Contains(invocation.TargetMethod)
            || (_waitOne.Contains(invocation.TargetMethod) && KnownTypes.IsOrDerivesFrom(invocation.Instance?.Type, _types.Semaphore));
    }

    /// <summary>A permit given back (<c>SemaphoreSlim.Release</c>, <c>Semaphore.Release</c>, any count), and the semaphore.</summary>
    public bool IsPermitRelease(IInvocationOperation invocation, out IOperation? semaphore)
    {
        semaphore = invocation.Instance;
        return _permitRelease.Contains(invocation.TargetMethod);
    }

    /// <summary>A <c>SemaphoreSlim.Wait/WaitAsync</c> call.</summary>
    public bool IsSemaphoreWait(IInvocationOperation invocation) => _semaphoreWait.Contains(invocation.TargetMethod);

    /// <summary>
    /// Primitives with their own acquire and release members, which a <c>lock</c> statement on the object would bypass:
    /// semaphores, mutexes and reader/writer locks.
    /// </summary>
    public bool IsWaitBasedPrimitive(ITypeSymbol? type) =>
        KnownTypes.Is(type, _types.SemaphoreSlim) || KnownTypes.IsOrDerivesFrom(type, _types.Semaphore) || KnownTypes.IsOrDerivesFrom(type, _types.Mutex)
        || KnownTypes.Is(type, _types.ReaderWriterLockSlim) || KnownTypes.Is(type, _types.ReaderWriterLock);

    /// <summary>The <c>ref bool lockTaken</c> argument's local or field, when the call has one.</summary>
    private static ISymbol? TakenFlagOf(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref, Type.SpecialType: SpecialType.System_Boolean })
            {
                return argument.Value switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IFieldReferenceOperation field => field.Field,
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>
    /// A timeout argument decides: infinite waits for ever, zero never waits, anything else gives up. Without one, a
    /// try-form returns at once and every other form waits for ever.
    /// </summary>
    private LockWait WaitOf(IInvocationOperation invocation, bool tryForm, bool timeSpanOnly = false) => _timeouts.Of(invocation, timeSpanOnly) switch
    {
        TimeoutKind.Infinite => LockWait.Indefinite,
        TimeoutKind.Zero => LockWait.Immediate,
        TimeoutKind.Finite => LockWait.Timed,
        _ => tryForm ? LockWait.Immediate : LockWait.Indefinite,
    };
}
