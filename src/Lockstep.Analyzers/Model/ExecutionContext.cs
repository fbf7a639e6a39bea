using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// A strand of execution: the code a start runs (and everything it calls), or the starter's own code between the
/// start and the first join after it.
/// </summary>
internal sealed class ExecutionContext
{
    public ExecutionContext(StartFact start, bool isStarter, bool isRepeated)
    {
        Start = start;
        IsStarter = isStarter;
        IsRepeated = !isStarter && isRepeated;
    }

    public StartFact Start { get; }

    public bool IsStarter { get; }

    /// <summary>Runs concurrently with itself: started in a loop, more than once, or by a parallel API.</summary>
    public bool IsRepeated { get; }

    /// <summary>
    /// How messages name the strand. <paramref name="readerTree"/> is the file of the code being reported: a start in
    /// another file is named with its file (<c>line 376 of Multiplexer.cs</c>), so the line can be found.
    /// </summary>
    public string Describe(SyntaxTree? readerTree = null)
    {
        string line = Start.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var startTree = Start.Operation.Syntax.SyntaxTree;
        if (readerTree is not null && startTree != readerTree && !string.IsNullOrEmpty(startTree.FilePath))
            line += " of " + System.IO.Path.GetFileName(startTree.FilePath);
        if (IsStarter)
            return $"the code that keeps running after starting work at line {line}";

        bool many = IsRepeated;
        // Name the started method when it has one, so two threads started on one line stay distinguishable.
        string running = Start.Target.MethodKind == Microsoft.CodeAnalysis.MethodKind.AnonymousFunction ? string.Empty : $" running '{Start.Target.Name}'";
        return Start.Kind switch
        {
            StartKind.Thread => many ? $"threads{running} started at line {line}" : $"the thread{running} started at line {line}",
            StartKind.Task => many ? $"tasks{running} started at line {line}" : $"the task{running} started at line {line}",
            StartKind.ThreadPool => many ? $"thread-pool work items{running} queued at line {line}" : $"the thread-pool work item{running} queued at line {line}",
            StartKind.Parallel => $"the {Start.ApiName} body at line {line}",
            StartKind.ParallelInvoke => $"the action{running} run by Parallel.Invoke at line {line}",
            StartKind.Plinq => $"the {Start.ApiName} query at line {line}",
            StartKind.Timer => $"the timer callback{running} registered at line {line}",
            StartKind.AsyncFanOut => $"async calls{running} started together at line {line}",
            StartKind.Callback => many ? $"the {Start.ApiName} callbacks{running} registered at line {line}" : $"the {Start.ApiName} callback{running} registered at line {line}",
            StartKind.Event => many ? $"the {Start.ApiName} handlers{running} registered at line {line}" : $"the {Start.ApiName} handler{running} registered at line {line}",
            StartKind.Handler => $"handlers{running} started per {Start.ApiName} at line {line}",
            StartKind.Callers => $"concurrent calls of '{Start.Target.ContainingType?.Name}.{Start.Target.AssociatedSymbol?.Name ?? Start.Target.Name}'",
            _ => $"concurrent entry point '{Start.Target.Name}'",
        };
    }
}
