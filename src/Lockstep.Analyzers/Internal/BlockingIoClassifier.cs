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
        string ns = type?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        bool blocking = (ns, type?.Name, method.Name) switch
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

    private static bool IsStream(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Stream" && current.ContainingNamespace?.ToDisplayString() == "System.IO")
                return true;
        }

        return false;
    }
}
