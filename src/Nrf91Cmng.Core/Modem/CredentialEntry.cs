using System;
using System.Globalization;

namespace Nrf91Cmng.Core.Modem
{
    /// <summary>One <c>%CMNG:</c> line: what the modem stores at a (sec_tag, type) pair.</summary>
    public sealed class CredentialEntry
    {
        /// <summary>Creates an entry.</summary>
        public CredentialEntry(uint secTag, int type, string? sha256, bool placeholderDigest, string? content)
        {
            SecTag = secTag;
            Type = type;
            Sha256 = sha256;
            IsPlaceholderDigest = placeholderDigest;
            Content = content;
        }

        /// <summary>The security tag (0-4294967295; above 2147483647 belongs to the modem).</summary>
        public uint SecTag { get; }

        /// <summary>The credential type number.</summary>
        public int Type { get; }

        /// <summary>64 uppercase hex digits, or null where the firmware prints a placeholder or no digest.</summary>
        public string? Sha256 { get; }

        /// <summary>True where old firmware printed the type number repeated instead of a digest.</summary>
        public bool IsPlaceholderDigest { get; }

        /// <summary>The content read back with <c>%CMNG=2</c>, exactly as stored; null for a list entry.</summary>
        public string? Content { get; }

        /// <summary>Tags above 2147483647 belong to the modem.</summary>
        public bool IsModemOwnedTag => SecTag > int.MaxValue;

        /// <inheritdoc />
        public override string ToString() =>
            SecTag.ToString(CultureInfo.InvariantCulture) + "," + Type.ToString(CultureInfo.InvariantCulture) + (Sha256 is null ? string.Empty : "," + Sha256);
    }

    /// <summary>The identity of a connected modem.</summary>
    public sealed class ModemIdentity
    {
        /// <summary>Creates an identity.</summary>
        public ModemIdentity(string? model, FirmwareInfo firmware, string? imei, string? manufacturer)
        {
            Model = model;
            Firmware = firmware ?? throw new ArgumentNullException(nameof(firmware));
            Imei = imei;
            Manufacturer = manufacturer;
        }

        /// <summary><c>AT+CGMM</c>, e.g. nRF9160-SICA.</summary>
        public string? Model { get; }

        /// <summary><c>AT+CGMR</c>, parsed.</summary>
        public FirmwareInfo Firmware { get; }

        /// <summary><c>AT+CGSN</c>: 15 digits, or null (PTI parts without an IMEI answer ERROR).</summary>
        public string? Imei { get; }

        /// <summary><c>AT+CGMI</c>, when read.</summary>
        public string? Manufacturer { get; }
    }
}
