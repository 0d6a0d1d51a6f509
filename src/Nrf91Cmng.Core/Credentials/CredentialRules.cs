namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>What a credential type holds, as text.</summary>
    public enum CredentialContentFormat
    {
        /// <summary>Nothing a user writes (modem-owned or modem-created).</summary>
        None,

        /// <summary>One or more PEM <c>CERTIFICATE</c> blocks.</summary>
        PemCertificate,

        /// <summary>A PEM private key (PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8).</summary>
        PemPrivateKey,

        /// <summary>Hexadecimal digits, two per byte.</summary>
        Hex,

        /// <summary>One line of printable ASCII.</summary>
        Text,

        /// <summary>A PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo).</summary>
        PemPublicKey,
    }

    /// <summary>Which AT command writes a credential type.</summary>
    public enum CredentialWriteCommand
    {
        /// <summary>Users cannot write it.</summary>
        None,

        /// <summary><c>AT%CMNG=0,&lt;tag&gt;,&lt;type&gt;,"&lt;content&gt;"[,"&lt;passwd&gt;"]</c>.</summary>
        Cmng,

        /// <summary><c>AT%XPMNG=0,"&lt;content&gt;"[,&lt;tag&gt;]</c>.</summary>
        Xpmng,
    }

    /// <summary>Everything the rules say about one credential type.</summary>
    public sealed class CredentialTypeRule
    {
        internal CredentialTypeRule(CredentialType type, string description, CredentialContentFormat format, CredentialWriteCommand write,
            bool readable, bool secret, bool modemOwned, bool createdByModem, bool userDeletable, bool known)
        {
            Type = type;
            Description = description;
            Format = format;
            WriteCommand = write;
            IsReadable = readable;
            IsSecret = secret;
            IsModemOwned = modemOwned;
            IsCreatedByModem = createdByModem;
            IsUserDeletable = userDeletable;
            IsKnown = known;
        }

        /// <summary>The type.</summary>
        public CredentialType Type { get; }

        /// <summary>The modem's type number.</summary>
        public int Number => (int)Type;

        /// <summary>Plain-language description ("root CA certificate").</summary>
        public string Description { get; }

        /// <summary>What the content looks like.</summary>
        public CredentialContentFormat Format { get; }

        /// <summary>How a user writes it (<see cref="CredentialWriteCommand.None"/>: not at all).</summary>
        public CredentialWriteCommand WriteCommand { get; }

        /// <summary>True when users write it with <c>%CMNG</c> (types 0-4).</summary>
        public bool IsUserWritable => WriteCommand == CredentialWriteCommand.Cmng;

        /// <summary>True when <c>AT%CMNG=2</c> returns the content (0 and 4 only).</summary>
        public bool IsReadable { get; }

        /// <summary>True when the content must never be logged (2 and 3).</summary>
        public bool IsSecret { get; }

        /// <summary>True for the types the modem owns (6, 7, 10, 11).</summary>
        public bool IsModemOwned { get; }

        /// <summary>True for the types the modem creates itself (8 and 9; 2 can also come from %KEYGEN).</summary>
        public bool IsCreatedByModem { get; }

        /// <summary>True when users may delete it with <c>AT%CMNG=3</c> (0-5).</summary>
        public bool IsUserDeletable { get; }

        /// <summary>False for type numbers without a public definition (12 and above).</summary>
        public bool IsKnown { get; }

        /// <inheritdoc />
        public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Description;
    }

    /// <summary>
    /// Credential rules of the nRF91 modems: which sec_tags and types users may write, read and
    /// delete, and which types are secret. Numbers follow the AT command reference and the
    /// tools that use it (spec §2.2, §2.3, §2.5).
    /// </summary>
    public static class CredentialRules
    {
        /// <summary>Lowest user sec_tag.</summary>
        public const long MinUserSecTag = 0;

        /// <summary>Highest user sec_tag (signed 32-bit positive).</summary>
        public const long MaxUserSecTag = 2147483647;

        /// <summary>First modem-owned sec_tag; modem-owned tags run to <see cref="MaxSecTag"/>.</summary>
        public const long FirstModemSecTag = 2147483648;

        /// <summary>Highest sec_tag that can appear in a list (unsigned 32-bit).</summary>
        public const long MaxSecTag = 4294967295;

        /// <summary>First nRF91x1 TLS-decrypt sec_tag (NRF_SEC_TAG_TLS_DECRYPT_BASE / _0).</summary>
        public const long FirstTlsDecryptSecTag = 2147483648;

        /// <summary>Last nRF91x1 TLS-decrypt sec_tag (NRF_SEC_TAG_TLS_DECRYPT_19).</summary>
        public const long LastTlsDecryptSecTag = 2147483667;

        /// <summary>Highest %XPMNG slot in current documentation (early documents said 2147483647).</summary>
        public const long MaxXpmngSecTag = 9;

        /// <summary>Longest passphrase %CMNG takes for an encrypted PKCS#8 key.</summary>
        public const int MaxPassphraseLength = 32;

        private static readonly CredentialTypeRule[] s_rules =
        {
            new CredentialTypeRule(CredentialType.RootCA, "root CA certificate", CredentialContentFormat.PemCertificate, CredentialWriteCommand.Cmng, readable: true, secret: false, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.ClientCertificate, "client certificate", CredentialContentFormat.PemCertificate, CredentialWriteCommand.Cmng, readable: false, secret: false, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.ClientPrivateKey, "client private key", CredentialContentFormat.PemPrivateKey, CredentialWriteCommand.Cmng, readable: false, secret: true, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.Psk, "PSK", CredentialContentFormat.Hex, CredentialWriteCommand.Cmng, readable: false, secret: true, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.PskIdentity, "PSK identity", CredentialContentFormat.Text, CredentialWriteCommand.Cmng, readable: true, secret: false, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.PublicKey, "public key", CredentialContentFormat.PemPublicKey, CredentialWriteCommand.Xpmng, readable: false, secret: false, modemOwned: false, createdByModem: false, userDeletable: true, known: true),
            new CredentialTypeRule(CredentialType.DeviceIdentityPublicKey, "device identity public key", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: false, modemOwned: true, createdByModem: false, userDeletable: false, known: true),
            new CredentialTypeRule(CredentialType.Reserved7, "reserved type 7", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: false, modemOwned: true, createdByModem: false, userDeletable: false, known: true),
            new CredentialTypeRule(CredentialType.EndorsementKey, "endorsement key", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: true, modemOwned: false, createdByModem: true, userDeletable: false, known: true),
            new CredentialTypeRule(CredentialType.OwnershipKey, "ownership key", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: true, modemOwned: false, createdByModem: true, userDeletable: false, known: true),
            new CredentialTypeRule(CredentialType.NordicIdentityRootCA, "Nordic identity root CA", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: false, modemOwned: true, createdByModem: false, userDeletable: false, known: true),
            new CredentialTypeRule(CredentialType.NordicBasePublicKey, "Nordic base public key", CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: false, modemOwned: true, createdByModem: false, userDeletable: false, known: true),
        };

        private static readonly KeyValuePair<string, CredentialType>[] s_aliases =
        {
            new KeyValuePair<string, CredentialType>("CA", CredentialType.RootCA),
            new KeyValuePair<string, CredentialType>("Root", CredentialType.RootCA),
            new KeyValuePair<string, CredentialType>("RootCertificate", CredentialType.RootCA),
            new KeyValuePair<string, CredentialType>("Cert", CredentialType.ClientCertificate),
            new KeyValuePair<string, CredentialType>("Certificate", CredentialType.ClientCertificate),
            new KeyValuePair<string, CredentialType>("ClientCert", CredentialType.ClientCertificate),
            new KeyValuePair<string, CredentialType>("Key", CredentialType.ClientPrivateKey),
            new KeyValuePair<string, CredentialType>("PrivateKey", CredentialType.ClientPrivateKey),
            new KeyValuePair<string, CredentialType>("ClientKey", CredentialType.ClientPrivateKey),
            new KeyValuePair<string, CredentialType>("PskId", CredentialType.PskIdentity),
            new KeyValuePair<string, CredentialType>("Identity", CredentialType.PskIdentity),
        };

        /// <summary>The short aliases users may type for a type (CA, Cert, Key, PskId, ...), with the type each names.</summary>
        public static IReadOnlyList<KeyValuePair<string, CredentialType>> Aliases => s_aliases;

        /// <summary>
        /// Reads a type the way every input takes it (cmdlet parameters, plans, completion): its name
        /// (RootCA, any case), its number (0-11) or a short alias (CA, Cert, Key, PskId, ...).
        /// </summary>
        public static bool TryParse(string? text, out CredentialType type)
        {
            type = default;
            string t = (text ?? string.Empty).Trim();
            if (t.Length == 0)
            {
                return false;
            }

            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                if (number < s_rules.Length)
                {
                    type = (CredentialType)number;
                    return true;
                }

                return false;
            }

            foreach (KeyValuePair<string, CredentialType> alias in s_aliases)
            {
                if (string.Equals(alias.Key, t, StringComparison.OrdinalIgnoreCase))
                {
                    type = alias.Value;
                    return true;
                }
            }

            foreach (CredentialTypeRule rule in s_rules)
            {
                if (string.Equals(rule.Type.ToString(), t, StringComparison.OrdinalIgnoreCase))
                {
                    type = rule.Type;
                    return true;
                }
            }

            return false;
        }

        /// <summary>The message for a value <see cref="TryParse"/> refused: what it was and what is accepted.</summary>
        public static string NotATypeMessage(object? value) =>
            "'" + value + "' is not a credential type. Use a name (" + string.Join(", ", AllNames()) + "), its number (0-11) or a short alias (CA, Cert, Key, PskId).";

        private static IEnumerable<string> AllNames()
        {
            foreach (CredentialTypeRule rule in s_rules)
            {
                yield return rule.Type.ToString();
            }
        }

        /// <summary>The rules of types 0-11, in type order.</summary>
        public static IReadOnlyList<CredentialTypeRule> All => s_rules;

        /// <summary>
        /// The rule of <paramref name="type"/>. A number without a public definition (12 and above,
        /// or negative) gets a rule that allows nothing and says so.
        /// </summary>
        public static CredentialTypeRule Get(CredentialType type)
        {
            int n = (int)type;
            if (n >= 0 && n < s_rules.Length)
            {
                return s_rules[n];
            }

            return new CredentialTypeRule(type, "type " + n.ToString(CultureInfo.InvariantCulture) + " (no public definition)",
                CredentialContentFormat.None, CredentialWriteCommand.None, readable: false, secret: true, modemOwned: true,
                createdByModem: false, userDeletable: false, known: false);
        }

        /// <summary>Plain-language description of a type ("root CA certificate").</summary>
        public static string Describe(CredentialType type) => Get(type).Description;

        /// <summary>True for 0-4: written by users with %CMNG.</summary>
        public static bool IsUserWritable(CredentialType type) => Get(type).IsUserWritable;

        /// <summary>True for 5: written with %XPMNG only.</summary>
        public static bool IsWritableThroughXpmng(CredentialType type) => Get(type).WriteCommand == CredentialWriteCommand.Xpmng;

        /// <summary>True for 6, 7, 10, 11 (and unknown numbers).</summary>
        public static bool IsModemOwned(CredentialType type) => Get(type).IsModemOwned;

        /// <summary>True for 8 and 9: created by the modem.</summary>
        public static bool IsCreatedByModem(CredentialType type) => Get(type).IsCreatedByModem;

        /// <summary>
        /// True for 0 and 4. Client certificates (1) are treated as not readable: v1.x documents
        /// say so and newer firmware is not established.
        /// </summary>
        public static bool IsReadable(CredentialType type) => Get(type).IsReadable;

        /// <summary>
        /// True for the types worth a read attempt (<c>AT%CMNG=2</c>): RootCA and PskIdentity, which
        /// are readable, and ClientCertificate, which v1.x documents call unreadable while newer
        /// firmware is not established; a caller must tolerate CME 514/513 or ERROR for it.
        /// </summary>
        public static bool MayTryToRead(CredentialType type) => IsReadable(type) || type == CredentialType.ClientCertificate;

        /// <summary>
        /// True when a listed entry belongs to the modem rather than the user: a modem-owned
        /// sec_tag (2147483648 and above, except the TLS-decrypt tags on nRF91x1 firmware) or a
        /// modem-owned type (6, 7, 10, 11 and numbers without a public definition). Keys the modem
        /// creates on request (8, 9) at a user tag count as the user's.
        /// </summary>
        public static bool IsModemOwned(long secTag, CredentialType type, bool isNrf91x1)
        {
            bool ownedTag = IsModemOwnedSecTag(secTag) && !(isNrf91x1 && IsTlsDecryptSecTag(secTag));
            return ownedTag || (int)type < 0 || IsModemOwned(type);
        }

        /// <summary>True for types whose content must never be logged (2, 3; and the modem's own keys).</summary>
        public static bool IsSecret(CredentialType type) => Get(type).IsSecret;

        /// <summary>True for 0..2147483647.</summary>
        public static bool IsUserSecTag(long secTag) => secTag >= MinUserSecTag && secTag <= MaxUserSecTag;

        /// <summary>True for 2147483648..4294967295.</summary>
        public static bool IsModemOwnedSecTag(long secTag) => secTag >= FirstModemSecTag && secTag <= MaxSecTag;

        /// <summary>True for the nRF91x1 TLS-decrypt tags 2147483648..2147483667.</summary>
        public static bool IsTlsDecryptSecTag(long secTag) => secTag >= FirstTlsDecryptSecTag && secTag <= LastTlsDecryptSecTag;

        /// <summary>True for any sec_tag the modem can list (0..4294967295).</summary>
        public static bool IsValidSecTag(long secTag) => secTag >= 0 && secTag <= MaxSecTag;

        /// <summary>
        /// True when users may write at <paramref name="secTag"/>: user tags always, the TLS-decrypt
        /// tags only on nRF91x1 firmware (mfw_nrf91x1 2.x).
        /// </summary>
        public static bool IsSecTagWritable(long secTag, bool isNrf91x1) =>
            IsUserSecTag(secTag) || (isNrf91x1 && IsTlsDecryptSecTag(secTag));

        /// <summary>Throws unless <paramref name="secTag"/> is 0..4294967295 (list, read, delete).</summary>
        public static void EnsureValidSecTag(long secTag)
        {
            if (!IsValidSecTag(secTag))
            {
                throw new ModemException(ErrorIds.CredentialSecTagOutOfRange, ModemErrorCategory.InvalidArgument,
                    "sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " is out of range: the modem's sec_tags are 0 to 4294967295.",
                    "Use a user sec_tag from 0 to 2147483647.");
            }
        }

        /// <summary>
        /// Throws a <see cref="ModemException"/> unless users may write <paramref name="type"/> at
        /// <paramref name="secTag"/>: types 0-4 with %CMNG at a user tag (or a TLS-decrypt tag on
        /// nRF91x1), type 5 only with %XPMNG (<paramref name="viaXpmng"/>) at slot 0-9.
        /// </summary>
        public static void EnsureWritable(long secTag, CredentialType type, bool isNrf91x1 = false, bool viaXpmng = false)
        {
            CredentialTypeRule rule = Get(type);
            string tag = secTag.ToString(CultureInfo.InvariantCulture);
            if (rule.WriteCommand == CredentialWriteCommand.None)
            {
                string why = !rule.IsKnown
                    ? "type " + rule.Number.ToString(CultureInfo.InvariantCulture) + " has no public definition"
                    : rule.IsCreatedByModem
                        ? "the " + rule.Description + " (type " + rule.Number.ToString(CultureInfo.InvariantCulture) + ") is created by the modem itself"
                        : "the " + rule.Description + " (type " + rule.Number.ToString(CultureInfo.InvariantCulture) + ") belongs to the modem";
                throw new ModemException(ErrorIds.CredentialTypeNotWritable, ModemErrorCategory.InvalidArgument,
                    "Cannot write type " + rule.Number.ToString(CultureInfo.InvariantCulture) + ": " + why + ".",
                    "Write one of RootCA (0), ClientCertificate (1), ClientPrivateKey (2), Psk (3) or PskIdentity (4); a private key can also be generated in the modem with %KEYGEN.");
            }

            if (rule.WriteCommand == CredentialWriteCommand.Xpmng)
            {
                if (!viaXpmng)
                {
                    throw new ModemException(ErrorIds.CredentialTypeRequiresXpmng, ModemErrorCategory.InvalidArgument,
                        "The public key for authenticated AT commands (type 5) is written with AT%XPMNG, not AT%CMNG.",
                        "Write it with Set-ModemPublicKey (AT%XPMNG=0,\"<PEM>\",<slot>); AT%CMNG only deletes it.");
                }

                if (secTag < 0 || secTag > MaxXpmngSecTag)
                {
                    throw new ModemException(ErrorIds.CredentialSecTagOutOfRange, ModemErrorCategory.InvalidArgument,
                        "%XPMNG slot " + tag + " is out of range: the AT command reference allows slots 0 to 9.",
                        "Use a slot from 0 to 9.");
                }

                return;
            }

            if (viaXpmng)
            {
                throw new ModemException(ErrorIds.CredentialTypeNotWritable, ModemErrorCategory.InvalidArgument,
                    "AT%XPMNG writes only the public key for authenticated AT commands (type 5), not the " + rule.Description + ".",
                    "Write type " + rule.Number.ToString(CultureInfo.InvariantCulture) + " with AT%CMNG (Set-ModemCredential).");
            }

            if (IsSecTagWritable(secTag, isNrf91x1))
            {
                return;
            }

            if (IsTlsDecryptSecTag(secTag))
            {
                throw new ModemException(ErrorIds.CredentialSecTagModemOwned, ModemErrorCategory.InvalidArgument,
                    "sec_tag " + tag + " is an nRF91x1 TLS-decrypt tag (2147483648-2147483667): writable only on nRF91x1 firmware (mfw_nrf91x1 2.x), where TLS sessions using it can be decrypted by Nordic's trace tools.",
                    "Use a user sec_tag (0-2147483647); on an nRF9161/9151/9131 pass the firmware family so the decrypt tags are allowed (development use only).");
            }

            if (IsModemOwnedSecTag(secTag))
            {
                throw new ModemException(ErrorIds.CredentialSecTagModemOwned, ModemErrorCategory.InvalidArgument,
                    "sec_tag " + tag + " belongs to the modem (2147483648 and above).",
                    "Use a user sec_tag from 0 to 2147483647.");
            }

            throw new ModemException(ErrorIds.CredentialSecTagOutOfRange, ModemErrorCategory.InvalidArgument,
                "sec_tag " + tag + " is out of range: user sec_tags are 0 to 2147483647.",
                "Use a user sec_tag from 0 to 2147483647.");
        }

        /// <summary>Throws a <see cref="ModemException"/> unless the modem returns the content of <paramref name="type"/>.</summary>
        public static void EnsureReadable(CredentialType type)
        {
            CredentialTypeRule rule = Get(type);
            if (rule.IsReadable)
            {
                return;
            }

            string why = rule.IsSecret
                ? "the modem never returns secrets"
                : type == CredentialType.ClientCertificate
                    ? "the AT command reference says client certificates are not readable (newer firmware is not established)"
                    : "the modem does not return this type";
            throw new ModemException(ErrorIds.CredentialTypeNotReadable, ModemErrorCategory.PermissionDenied,
                "The " + rule.Description + " (type " + rule.Number.ToString(CultureInfo.InvariantCulture) + ") cannot be read back: " + why + ".",
                "Compare digests instead: the list (AT%CMNG=1) shows the SHA-256 of every stored item; Test-ModemCredential compares it with a local file.");
        }

        /// <summary>A type number from the modem's output; numbers without a public definition (12+) are kept as they are.</summary>
        public static CredentialType FromNumber(int number)
        {
            if (number < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(number), number, "Credential type numbers are not negative.");
            }

            return (CredentialType)number;
        }
    }
}
