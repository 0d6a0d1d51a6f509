namespace Nrf91Cmng
{
    /// <summary>
    /// What every object read from a modem carries about its origin, so that piping it on
    /// (Get-ModemCredential | Remove-ModemCredential) finds the same modem.
    /// </summary>
    public abstract class ModemOutput
    {
        /// <summary>The session the object came from (0 when it came from no session).</summary>
        public int SessionId { get; internal set; }

        /// <summary>Port name, URI or simulator address of the modem.</summary>
        public string? PortName { get; internal set; }

        /// <summary>IMEI of the modem.</summary>
        public string? Imei { get; internal set; }
    }

    /// <summary>Stamps output objects with their session.</summary>
    internal static class ModemOutputExtensions
    {
        /// <summary>Sets SessionId, PortName and Imei from <paramref name="session"/> and returns the object.</summary>
        public static T From<T>(this T output, ModemSession session)
            where T : ModemOutput
        {
            output.SessionId = session.Id;
            output.PortName = session.PortName;
            output.Imei = session.Imei;
            return output;
        }
    }
}
