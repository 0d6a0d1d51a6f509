namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>Settings of <see cref="CredentialValidator.Validate(CredentialType, string, string?, CredentialValidationOptions?)"/>.</summary>
    public sealed class CredentialValidationOptions
    {
        /// <summary>Line endings of PEM content (default <see cref="LineEndingPolicy.Lf"/>).</summary>
        public LineEndingPolicy LineEndings { get; set; } = CredentialContent.DefaultPolicy;

        /// <summary>
        /// The sec_tag the content goes to, for the command length. Null: the longest user tag
        /// (10 digits) is assumed.
        /// </summary>
        public long? SecTag { get; set; }

        /// <summary>Longest command the AT host takes (default 4095, at_host's 4096-byte buffer less its NUL).</summary>
        public int MaxCommandLength { get; set; } = AtChannel.AtHostMaxCommandLength;

        /// <summary>The time certificates are checked against (default: now).</summary>
        public DateTimeOffset? Now { get; set; }
    }

    /// <summary>Content that passed validation: the exact bytes to send, what they are, and warnings.</summary>
    public sealed class CredentialValidationResult
    {
        private readonly byte[] _bytes;

        internal CredentialValidationResult(CredentialType type, string content, LineEndingPolicy policy, int commandLength, int maxCommandLength,
            IReadOnlyList<string> warnings, IReadOnlyList<CertificateInfo> certificates, PrivateKeyDetails? privateKey, PublicKeyInfo? publicKey,
            bool passphraseRequired)
        {
            Type = type;
            Content = content;
            _bytes = CredentialContent.GetBytes(content);
            Sha256 = CredentialContent.ComputeDigest(_bytes);
            LineEndings = policy;
            CommandLength = commandLength;
            MaxCommandLength = maxCommandLength;
            Warnings = warnings;
            Certificates = certificates;
            PrivateKey = privateKey;
            PublicKey = publicKey;
            PassphraseRequired = passphraseRequired;
        }

        /// <summary>The credential type.</summary>
        public CredentialType Type { get; }

        /// <summary>
        /// The normalised content: exactly what goes between the quotes. For secret types this is
        /// the secret itself: never log it (<see cref="ToString"/> does not show it).
        /// </summary>
        public string Content { get; }

        /// <summary>Number of bytes sent between the quotes.</summary>
        public int Length => _bytes.Length;

        /// <summary>Uppercase hex SHA-256 of the bytes sent: the digest the modem will list.</summary>
        public string Sha256 { get; }

        /// <summary>The line-ending policy applied.</summary>
        public LineEndingPolicy LineEndings { get; }

        /// <summary>Length of the whole write command (without its terminator).</summary>
        public int CommandLength { get; }

        /// <summary>The limit it was checked against.</summary>
        public int MaxCommandLength { get; }

        /// <summary>Things worth telling the user that do not stop the write (expired certificate, ...).</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>The certificates of a RootCA / ClientCertificate, in order; empty for other types.</summary>
        public IReadOnlyList<CertificateInfo> Certificates { get; }

        /// <summary>What the ClientPrivateKey is (no secret); null for other types.</summary>
        public PrivateKeyDetails? PrivateKey { get; }

        /// <summary>The public key: of a PublicKey, of the first certificate, or derived from a private key.</summary>
        public PublicKeyInfo? PublicKey { get; }

        /// <summary>True when the key is encrypted PKCS#8: the passphrase must be sent as the fifth parameter.</summary>
        public bool PassphraseRequired { get; }

        /// <summary>True when the content is secret (ClientPrivateKey, Psk).</summary>
        public bool IsSecret => CredentialRules.IsSecret(Type);

        /// <summary>The bytes to send (a copy).</summary>
        public byte[] GetBytes() => (byte[])_bytes.Clone();

        /// <inheritdoc />
        public override string ToString() =>
            Type + ": " + Length.ToString(CultureInfo.InvariantCulture) + " bytes, SHA-256 " + Sha256 + ", command " +
            CommandLength.ToString(CultureInfo.InvariantCulture) + "/" + MaxCommandLength.ToString(CultureInfo.InvariantCulture) + " characters";
    }
}
