namespace Lockstep.Panel;

/// <summary>
/// What a rule shows a user who configured nothing: its descriptor's default severity, or Off when the descriptor is
/// disabled by default. The panel forces every rule on, so this is kept apart from the severity it reported with.
/// </summary>
public enum DefaultLevel
{
    Error,
    Warning,
    Info,
    Hidden,
    Off,
}
