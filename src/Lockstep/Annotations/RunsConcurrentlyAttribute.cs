using System;

namespace Lockstep;

/// <summary>
/// Marks a concurrent entry point: the member may run concurrently with itself (several calls at once, on different
/// threads) and with any other code of the program. The analyzers treat it as they treat a delegate passed to
/// <c>Task.Run</c> or <c>new Thread</c> and started many times, so shared state it touches, directly or through the
/// methods it calls, must be synchronised.
/// </summary>
/// <remarks>
/// <para>
/// Use it for code that a framework the analyzers cannot see calls from several threads: request handlers, message
/// or event callbacks, hosted-service loops, plug-in hooks. Entry points written in the same compilation
/// (<c>new Thread(Work)</c>, <c>Parallel.For</c>, timers and the like) are found without it.
/// </para>
/// <example>
/// <code>
/// private int _handled;
///
/// [RunsConcurrently]
/// public void OnMessage(Message message)
/// {
///     Interlocked.Increment(ref _handled); // _handled++ here would be reported as a data race (LS1001)
/// }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class RunsConcurrentlyAttribute : Attribute
{
}
