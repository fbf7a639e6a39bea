using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// What drives or bounds how often a loop runs, for LS4001: accepting a connection, taking a message from a queue or
/// channel, and the bounds a careful author writes (<c>Environment.ProcessorCount</c>, <c>Math.Min</c>,
/// <c>Enumerable.Range/Repeat</c>).
/// </summary>
internal sealed class LoopCatalogue
{
    private readonly MemberSet _accepts;
    private readonly MemberSet _messageTakes;
    private readonly MemberSet _processorCount;
    private readonly MemberSet _min;
    private readonly MemberSet _rangeOrRepeat;

    public LoopCatalogue(KnownTypes types)
    {
        _accepts = MemberSet.Union(
            MemberSet.Of(types.TcpListener, "AcceptTcpClient", "AcceptTcpClientAsync", "AcceptSocket", "AcceptSocketAsync"),
            MemberSet.Of(types.Socket, "Accept", "AcceptAsync"));
        _messageTakes = MemberSet.Union(
            MemberSet.Of(types.BlockingCollection, "Take", "TryTake", "GetConsumingEnumerable"),
            MemberSet.Of(types.ConcurrentQueue, "TryDequeue"),
            MemberSet.Of(types.GenericQueue, "Dequeue", "TryDequeue"),
            MemberSet.Of(types.ChannelReader, "ReadAsync", "TryRead", "ReadAllAsync"));
        _processorCount = MemberSet.Of(types.Environment, "ProcessorCount");
        _min = MemberSet.Of(types.Math, "Min");
        _rangeOrRepeat = MemberSet.Of(types.Enumerable, "Range", "Repeat");
    }

    /// <summary><c>TcpListener.AcceptTcpClient(Async)</c>, <c>AcceptSocket(Async)</c>, <c>Socket.Accept(Async)</c>.</summary>
    public bool IsAccept(IMethodSymbol method) => _accepts.Contains(method);

    /// <summary>
    /// Taking one message from a queue or channel: the loop runs once per message. Besides the BCL's queues, a
    /// <c>Receive</c>/<c>ReceiveAsync</c> of a type named <c>…Queue</c> (System.Messaging.MessageQueue and the look-alike
    /// clients of message brokers).
    /// </summary>
    public bool IsMessageTake(IMethodSymbol method) =>
        _messageTakes.Contains(method)
        || method.Name is "Receive" or "ReceiveAsync" && method.ContainingType?.Name.EndsWith("Queue", System.StringComparison.Ordinal) == true;

    public bool IsProcessorCount(IPropertySymbol property) => _processorCount.Contains(property);

    public bool IsMin(IMethodSymbol method) => _min.Contains(method);

    /// <summary><c>Enumerable.Range(start, count)</c> and <c>Enumerable.Repeat(value, count)</c>: the count is the second argument.</summary>
    public bool IsRangeOrRepeat(IMethodSymbol method) => _rangeOrRepeat.Contains(method);
}
