namespace Nrf91Cmng.Core.Errors
{
    /// <summary>
    /// Stable error ids, one per code path. They become the first part of an ErrorRecord's
    /// FullyQualifiedErrorId ("Id,Nrf91Cmng.Commands.XxxCommand"), which scripts and Pester
    /// tests assert on, so a published id never changes meaning. Each area keeps its ids in its
    /// own partial file (ErrorIds.&lt;Area&gt;.cs).
    /// </summary>
    public static partial class ErrorIds
    {
    }
}
