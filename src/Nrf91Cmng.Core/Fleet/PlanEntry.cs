namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>One row of a provisioning plan: a credential to write, or a key to generate and certify.</summary>
    public sealed class PlanEntry
    {
        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; set; }

        /// <summary>The credential type (ClientCertificate for Generate entries: the certificate written after the key).</summary>
        public CredentialType Type { get; set; }

        /// <summary>A file (relative to the plan's folder; may hold {Imei} and {DeviceUuid}).</summary>
        public string? Path { get; set; }

        /// <summary>The content itself.</summary>
        public string? Content { get; set; }

        /// <summary>Generate the key in the modem (%KEYGEN), sign its CSR with CACertificate/CAKey and write the certificate.</summary>
        public bool Generate { get; set; }

        /// <summary>The CA certificate file that signs generated keys.</summary>
        public string? CACertificate { get; set; }

        /// <summary>The CA private key file that signs generated keys.</summary>
        public string? CAKey { get; set; }

        /// <summary>The CSR subject for generated keys (may hold {Imei} and {DeviceUuid}); default CN=&lt;device UUID&gt;.</summary>
        public string? Subject { get; set; }

        /// <summary>Validity of certificates issued for generated keys, in days.</summary>
        public int ValidityDays { get; set; } = 365;

        /// <summary>Where the row came from, for messages ("plan.csv row 3").</summary>
        public string Source { get; set; } = "plan";

        /// <summary>True when a field depends on the modem ({Imei}, {DeviceUuid}).</summary>
        public bool IsPerDevice => HasPlaceholder(Path) || HasPlaceholder(Content) || HasPlaceholder(Subject);

        /// <summary>True when the per-device fields use {Imei}.</summary>
        public bool NeedsImei => UsesImei(Path) || UsesImei(Content) || UsesImei(Subject);

        /// <summary>True when the per-device fields use {DeviceUuid}.</summary>
        public bool NeedsDeviceUuid => Uses(Path) || Uses(Content) || Uses(Subject);

        /// <summary>"root CA certificate at sec_tag 42".</summary>
        public string Target => (Generate ? "generated key and client certificate" : CredentialRules.Describe(Type)) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture);

        /// <summary>Replaces {Imei} and {DeviceUuid}.</summary>
        public static string? Expand(string? text, string? imei, Guid? deviceUuid) =>
            text?.Replace("{Imei}", imei ?? string.Empty).Replace("{IMEI}", imei ?? string.Empty)
                .Replace("{DeviceUuid}", deviceUuid?.ToString("D") ?? string.Empty);

        private static bool HasPlaceholder(string? text) => text is not null && (text.IndexOf("{Imei}", StringComparison.OrdinalIgnoreCase) >= 0 || Uses(text));

        private static bool UsesImei(string? text) => text is not null && text.IndexOf("{Imei}", StringComparison.OrdinalIgnoreCase) >= 0;

        private static bool Uses(string? text) => text is not null && text.IndexOf("{DeviceUuid}", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
