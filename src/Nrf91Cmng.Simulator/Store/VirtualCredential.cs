namespace Nrf91Cmng.Simulator
{
    /// <summary>Where a stored credential came from.</summary>
    public enum CredentialOrigin
    {
        /// <summary>Written with <c>AT%CMNG=0</c> or <c>AT%XPMNG=0</c>.</summary>
        Written,

        /// <summary>Created inside the modem by <c>AT%KEYGEN</c>.</summary>
        Generated,

        /// <summary>Put there by <see cref="VirtualModem.Preload"/>.</summary>
        Preloaded,

        /// <summary>Shipped with the firmware (the 0.7.0 public key in slot 0).</summary>
        Factory,

        /// <summary>Owned by the modem and only listed (4294967292…4294967294).</summary>
        ModemOwned,
    }

    /// <summary>One entry of the virtual modem's credential store, as <c>AT%CMNG=1</c> lists it.</summary>
    public sealed class VirtualCredential
    {
        internal VirtualCredential(uint secTag, int type, string digest, string sha256, int size, CredentialOrigin origin)
        {
            SecTag = secTag;
            Type = type;
            Digest = digest;
            Sha256 = sha256;
            Size = size;
            Origin = origin;
        }

        /// <summary>The security tag.</summary>
        public uint SecTag { get; }

        /// <summary>The credential type (0 CA, 1 client cert, 2 private key, 3 PSK, 4 PSK identity, 5 public key, …).</summary>
        public int Type { get; }

        /// <summary>The digest the list shows: 64 upper-case hex digits (a placeholder on pre-1.3 firmware).</summary>
        public string Digest { get; }

        /// <summary>The SHA-256 of the stored bytes (or the modem's stable value for generated and modem-owned items), upper-case hex.</summary>
        public string Sha256 { get; }

        /// <summary>Stored bytes (0 for modem-owned entries).</summary>
        public int Size { get; }

        /// <summary>Where it came from.</summary>
        public CredentialOrigin Origin { get; }

        /// <summary>True for the modem's own entries (not readable, not writable).</summary>
        public bool IsModemOwned => Origin == CredentialOrigin.ModemOwned;

        /// <summary>The list line, e.g. <c>%CMNG: 42,0,"2C43…5BD1"</c>.</summary>
        public override string ToString() =>
            "%CMNG: " + SecTag.ToString(System.Globalization.CultureInfo.InvariantCulture) + ","
            + Type.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"" + Digest + "\"";
    }
}
