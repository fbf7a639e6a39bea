using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Synchronous I/O that waits on a disk, the network, another process or the user: whole-file reads and writes, stream
/// reads, socket and TCP operations, synchronous HTTP, Console.ReadLine, Process.WaitForExit. Used by LS5002 (blocking
/// under a lock); the async-code rules leave I/O alone.
/// </summary>
internal static class BlockingIoClassifier
{
    public static bool TryClassify(IOperation operation, out string displayName)
    {
        displayName = string.Empty;
        if (operation is not IInvocationOperation { TargetMethod: var method })
            return false;

        var type = method.ContainingType;
        if (type is null || !IsCandidateNamespace(type.ContainingNamespace))
            return false;

        string ns = type.ContainingNamespace.ToDisplayString(); // only for the few types in the namespaces below
        bool blocking = (ns, type.Name, method.Name) switch
        {
            ("System.IO", "File", "ReadAllText" or "ReadAllBytes" or "ReadAllLines" or "WriteAllText" or "WriteAllBytes" or "WriteAllLines" or "AppendAllText" or "AppendAllLines" or "Copy" or "Move") => true,
            ("System.IO", _, "Read" or "ReadByte" or "ReadExactly" or "ReadAtLeast" or "CopyTo") when IsStream(type) => true,
            ("System.IO", "StreamReader" or "TextReader", "ReadToEnd" or "ReadLine" or "Read" or "ReadBlock") => true,
            ("System.Net.Sockets", "Socket", "Receive" or "Send" or "Accept" or "Connect" or "ReceiveFrom" or "SendTo" or "SendFile") => true,
            ("System.Net.Sockets", "TcpClient", "Connect") => true,
            ("System.Net.Sockets", "TcpListener", "AcceptTcpClient" or "AcceptSocket") => true,
            ("System.Net.Sockets", "UdpClient", "Receive" or "Send") => true,
            ("System.Net.Http", "HttpClient", "Send") => true,
            ("System", "Console", "ReadLine" or "ReadKey" or "Read") => true,
            ("System.Diagnostics", "Process", "WaitForExit") => true,
            _ => false,
        };

        if (blocking)
            displayName = type!.Name + "." + method.Name;
        return blocking;
    }

    /// <summary>A cheap first filter: System, System.IO, System.Net.Sockets, System.Net.Http, System.Diagnostics.</summary>
    private static bool IsCandidateNamespace(INamespaceSymbol? ns) =>
        Namespaces.Is(ns, "System") || Namespaces.Is(ns, "System", "IO") || Namespaces.Is(ns, "System", "Net", "Sockets")
        || Namespaces.Is(ns, "System", "Net", "Http") || Namespaces.Is(ns, "System", "Diagnostics");

    private static bool IsStream(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Stream" && Namespaces.Is(current.ContainingNamespace, "System", "IO"))
                return true;
        }

        return false;
    }
}
