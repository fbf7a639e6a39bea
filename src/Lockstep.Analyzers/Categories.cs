namespace Lockstep.Analyzers;

/// <summary>One category per rule family; bulk-configurable with <c>dotnet_analyzer_diagnostic.category-…severity</c>.</summary>
public static class Categories
{
    /// <summary>Notes about the analysis itself (a budget reached), not findings in the code.</summary>
    public const string Analysis = "Lockstep.Analysis";
    public const string DataRace = "Lockstep.DataRace";
    public const string Deadlock = "Lockstep.Deadlock";
    public const string AsyncBlocking = "Lockstep.AsyncBlocking";
    public const string ThreadCreation = "Lockstep.ThreadCreation";
    public const string LockUsage = "Lockstep.LockUsage";
    public const string Usage = "Lockstep.Usage";
}
