namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// Checks credential content before anything is sent: the text must be ASCII without
    /// <c>"</c> (AT strings have no escape), parse as the type it is written as, and fit into the
    /// AT host's command buffer together with the rest of the command. Failures are
    /// <see cref="ModemException"/>s with stable ids, a category and a remedy; messages never
    /// contain key material, PSKs or passphrases.
    /// </summary>
    public static partial class CredentialValidator
    {
        private const int LongestUserSecTagDigits = 10;

        /// <summary>
        /// Validates <paramref name="text"/> as <paramref name="type"/> and returns the normalised
        /// bytes to send. <paramref name="passphrase"/> is only for an encrypted PKCS#8
        /// ClientPrivateKey (at most 32 characters).
        /// </summary>
        /// <exception cref="ModemException">With one of the ids in <see cref="ErrorIds"/> (Credential*, Pem*, Certificate*, PrivateKey*, PublicKey*).</exception>
        public static CredentialValidationResult Validate(CredentialType type, string text, string? passphrase = null, CredentialValidationOptions? options = null)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            options ??= new CredentialValidationOptions();
            CredentialTypeRule rule = CredentialRules.Get(type);
            CheckTypeAndOptions(rule, options);
            if (string.IsNullOrEmpty(passphrase))
            {
                passphrase = null;
            }

            if (passphrase != null && type != CredentialType.ClientPrivateKey)
            {
                throw new ModemException(ErrorIds.CredentialPassphraseNotApplicable, ModemErrorCategory.InvalidArgument,
                    "A passphrase was given for a " + rule.Description + "; only an encrypted client private key (ENCRYPTED PRIVATE KEY) takes one.",
                    "Leave the passphrase out, or check the -Type.");
            }

            string given = CredentialContent.StripByteOrderMark(text);
            CheckCharacters(rule, given);
            string content = CredentialContent.Normalize(given, type, options.LineEndings);
            if (content.Trim().Length == 0)
            {
                throw Empty(rule);
            }

            var warnings = new List<string>();
            if (rule.Format == CredentialContentFormat.PemCertificate || rule.Format == CredentialContentFormat.PemPrivateKey || rule.Format == CredentialContentFormat.PemPublicKey)
            {
                content = LayOutPem(rule, content, options.LineEndings, warnings);
            }

            IReadOnlyList<CertificateInfo> certificates = Array.Empty<CertificateInfo>();
            PrivateKeyDetails? privateKey = null;
            PublicKeyInfo? publicKey = null;
            bool sendPassphrase = false;
            DateTimeOffset now = options.Now ?? DateTimeOffset.UtcNow;

            switch (type)
            {
                case CredentialType.RootCA:
                case CredentialType.ClientCertificate:
                    certificates = ValidateCertificates(rule, content, options.LineEndings, now, warnings);
                    publicKey = certificates[0].PublicKey;
                    break;
                case CredentialType.ClientPrivateKey:
                    privateKey = ValidatePrivateKey(content, passphrase, warnings);
                    publicKey = privateKey.PublicKey;
                    sendPassphrase = privateKey.IsEncrypted;
                    break;
                case CredentialType.Psk:
                    ValidatePsk(content);
                    break;
                case CredentialType.PskIdentity:
                    ValidatePskIdentity(content, warnings);
                    break;
                case CredentialType.PublicKey:
                    publicKey = ValidatePublicKey(content, warnings);
                    break;
            }

            int contentLength = Encoding.UTF8.GetByteCount(content);
            long secTag = options.SecTag ?? CredentialRules.MaxUserSecTag;
            int commandLength = ComputeCommandLength(type, secTag, contentLength, sendPassphrase ? passphrase!.Length : (int?)null);
            if (commandLength > options.MaxCommandLength)
            {
                throw TooLong(rule, commandLength, options.MaxCommandLength, contentLength, certificates.Count, options.SecTag.HasValue);
            }

            return new CredentialValidationResult(type, content, options.LineEndings, commandLength, options.MaxCommandLength,
                warnings, certificates, privateKey, publicKey, sendPassphrase);
        }

        /// <summary>
        /// Validates raw file bytes: a UTF-8 byte order mark is dropped, DER (binary) is refused
        /// with a conversion hint, and bytes that are not UTF-8 are reported with their value.
        /// </summary>
        /// <exception cref="ModemException">As <see cref="Validate(CredentialType, string, string?, CredentialValidationOptions?)"/>.</exception>
        public static CredentialValidationResult Validate(CredentialType type, byte[] content, string? passphrase = null, CredentialValidationOptions? options = null)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            CredentialTypeRule rule = CredentialRules.Get(type);
            CheckTypeAndOptions(rule, options ?? new CredentialValidationOptions());
            int start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            if (content.Length - start == 0)
            {
                throw Empty(rule);
            }

            if (content[start] == 0x30 && IsPemFormat(rule.Format))
            {
                byte[] body = new byte[content.Length - start];
                Array.Copy(content, start, body, 0, body.Length);
                if (CryptoErrors.TryReadDer(body) != null)
                {
                    throw Binary(rule, "it is binary DER (it starts with byte 0x30 and parses as ASN.1), not PEM text", isDer: true);
                }
            }

            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(content, start, content.Length - start);
            }
            catch (DecoderFallbackException)
            {
                int bad = start;
                while (bad < content.Length && content[bad] < 0x80)
                {
                    bad++;
                }

                string code = bad < content.Length ? "0x" + content[bad].ToString("X2", CultureInfo.InvariantCulture) : "?";
                throw new ModemException(ErrorIds.CredentialContentNotAscii, ModemErrorCategory.InvalidData,
                    "The " + rule.Description + " is not ASCII text: byte " + code + " at byte position " + (bad - start + 1).ToString(CultureInfo.InvariantCulture) + " is not even UTF-8.",
                    AsciiRemedy(rule));
            }

            return Validate(type, text, passphrase, options);
        }

        /// <summary>True when the private key belongs to the certificate (their public keys are equal).</summary>
        /// <exception cref="ModemException">When either does not parse (see <see cref="CertificateInfo.FromPem"/>, <see cref="PrivateKeyDetails.FromPem"/>).</exception>
        public static bool KeyMatchesCertificate(string certificatePem, string privateKeyPem, string? passphrase = null)
        {
            if (certificatePem is null)
            {
                throw new ArgumentNullException(nameof(certificatePem));
            }

            if (privateKeyPem is null)
            {
                throw new ArgumentNullException(nameof(privateKeyPem));
            }

            CertificateInfo certificate = CertificateInfo.FromPem(certificatePem);
            PrivateKeyDetails key = PrivateKeyDetails.FromPem(privateKeyPem, string.IsNullOrEmpty(passphrase) ? null : passphrase);
            return key.PublicKey != null && certificate.PublicKey.Matches(key.PublicKey);
        }

        /// <summary>
        /// Length of the write command without its terminator:
        /// <c>AT%CMNG=0,&lt;tag&gt;,&lt;type&gt;,"&lt;content&gt;"</c> plus <c>,"&lt;passphrase&gt;"</c>,
        /// or for a PublicKey <c>AT%XPMNG=0,"&lt;content&gt;",&lt;tag&gt;</c>.
        /// </summary>
        public static int ComputeCommandLength(CredentialType type, long secTag, int contentLength, int? passphraseLength = null)
        {
            string tag = secTag.ToString(CultureInfo.InvariantCulture);
            if (type == CredentialType.PublicKey)
            {
                return "AT%XPMNG=0,\"".Length + contentLength + "\",".Length + tag.Length;
            }

            int length = ("AT%CMNG=0," + tag + "," + ((int)type).ToString(CultureInfo.InvariantCulture) + ",\"").Length + contentLength + 1;
            if (passphraseLength.HasValue)
            {
                length += ",\"".Length + passphraseLength.Value + 1;
            }

            return length;
        }

        private static void CheckTypeAndOptions(CredentialTypeRule rule, CredentialValidationOptions options)
        {
            if (rule.WriteCommand == CredentialWriteCommand.None)
            {
                // Same error as the write rules give.
                CredentialRules.EnsureWritable(0, rule.Type);
            }

            if (options.SecTag.HasValue)
            {
                CredentialRules.EnsureValidSecTag(options.SecTag.Value);
            }

            if (options.MaxCommandLength <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.MaxCommandLength, "MaxCommandLength must be positive.");
            }
        }

        private static bool IsPemFormat(CredentialContentFormat format) =>
            format == CredentialContentFormat.PemCertificate || format == CredentialContentFormat.PemPrivateKey || format == CredentialContentFormat.PemPublicKey;

        // ---- characters -------------------------------------------------------------------

        private static void CheckCharacters(CredentialTypeRule rule, string text)
        {
            if (text.Trim().Length == 0)
            {
                throw Empty(rule);
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool control = (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\uFFFD';
                if (control)
                {
                    bool der = IsPemFormat(rule.Format) && text[0] == '0' && text.Length > 1 && (text[1] >= 0x80 || text[1] < 0x20);
                    throw Binary(rule, der
                        ? "it looks like binary DER (it starts with byte 0x30 followed by binary), not PEM text"
                        : "it has a control or undecodable character (" + PemText.CharCode(c) + ") at " + Where(text, i), der);
                }
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > 0x7E)
                {
                    string hint = c == '\u2013' || c == '\u2014' || c == '\u2212' || c == '\u2010' || c == '\u2011'
                        ? " It is a typographic dash: PEM markers need five plain hyphens ('-----BEGIN ...')."
                        : c == '\u00A0' ? " It is a no-break space." : string.Empty;
                    throw new ModemException(ErrorIds.CredentialContentNotAscii, ModemErrorCategory.InvalidData,
                        "The " + rule.Description + " is not plain ASCII: character " + PemText.CharCode(c) + " at " + Where(text, i) + "." + hint,
                        AsciiRemedy(rule));
                }
            }

            int quote = text.IndexOf('"');
            if (quote >= 0)
            {
                throw new ModemException(ErrorIds.CredentialContentHasQuote, ModemErrorCategory.InvalidData,
                    "The " + rule.Description + " contains a double quote (\") at " + Where(text, quote) + ": AT strings are enclosed in double quotes and have no escape, so it cannot be sent.",
                    rule.Format == CredentialContentFormat.Text
                        ? "Choose a PSK identity without double quotes."
                        : "Remove the quote: PEM text never contains one (check for text copied around the PEM block).");
            }
        }

        private static string AsciiRemedy(CredentialTypeRule rule) =>
            rule.Format == CredentialContentFormat.Text || rule.Format == CredentialContentFormat.Hex
                ? "Use ASCII characters only."
                : "Save the file as plain ASCII PEM (as OpenSSL writes it); remove any comment or text with accented letters, typographic dashes or quotes.";

        private static string Where(string text, int index)
        {
            int line = 1;
            int column = 1;
            for (int i = 0; i < index; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    line++;
                    column = 1;
                }
                else if (text[i] != '\r')
                {
                    column++;
                }
            }

            return "position " + (index + 1).ToString(CultureInfo.InvariantCulture) + " (line " + line.ToString(CultureInfo.InvariantCulture) +
                ", column " + column.ToString(CultureInfo.InvariantCulture) + ")";
        }

        // ---- certificates ------------------------------------------------------------------
    }
}
