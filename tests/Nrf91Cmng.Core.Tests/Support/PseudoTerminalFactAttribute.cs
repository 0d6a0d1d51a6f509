namespace Nrf91Cmng.Core.Tests;

/// <summary>
/// A test that needs pseudo-terminals (Linux, macOS): reported as skipped where the platform has
/// none (Windows), never as passed.
/// </summary>
public sealed class PseudoTerminalFactAttribute : FactAttribute
{
    public PseudoTerminalFactAttribute()
    {
        if (!PseudoTerminal.IsSupported)
        {
            Skip = SkipReason;
        }
    }

    internal const string SkipReason = "Needs pseudo-terminals (Linux or macOS); Windows has none.";
}

/// <summary>A theory that needs pseudo-terminals: skipped where the platform has none.</summary>
public sealed class PseudoTerminalTheoryAttribute : TheoryAttribute
{
    public PseudoTerminalTheoryAttribute()
    {
        if (!PseudoTerminal.IsSupported)
        {
            Skip = PseudoTerminalFactAttribute.SkipReason;
        }
    }
}
