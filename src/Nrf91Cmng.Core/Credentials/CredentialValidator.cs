using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Errors;

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

        private static IReadOnlyList<CertificateInfo> ValidateCertificates(CredentialTypeRule rule, string content, LineEndingPolicy policy, DateTimeOffset now, List<string> warnings)
        {
            IReadOnlyList<PemBlock> blocks = PemText.Parse(content);
            var certBlocks = new List<PemBlock>();
            var others = new List<PemBlock>();
            foreach (PemBlock block in blocks)
            {
                (CertificateInfo.IsCertificateLabel(block.Label) ? certBlocks : others).Add(block);
            }

            if (blocks.Count == 0)
            {
                throw NoPem(rule, content, "CERTIFICATE", "openssl x509 -inform der -in cert.der -out cert.pem");
            }

            if (certBlocks.Count == 0)
            {
                throw WrongPem(rule, blocks);
            }

            if (others.Count > 0)
            {
                throw Unexpected(rule, others, certBlocks.Count == 1 ? "the certificate" : "the certificates");
            }

            var certificates = new List<CertificateInfo>(certBlocks.Count);
            for (int i = 0; i < certBlocks.Count; i++)
            {
                certificates.Add(CertificateInfo.Parse(certBlocks[i].Der, i, certBlocks.Count));
            }

            if (rule.Type == CredentialType.ClientCertificate && certificates.Count > 1)
            {
                throw new ModemException(ErrorIds.CredentialCertificateChainNotAllowed, ModemErrorCategory.InvalidData,
                    "The client certificate is a chain of " + certificates.Count.ToString(CultureInfo.InvariantCulture) +
                    " certificates (first: " + certificates[0].Subject + "); a client certificate slot (type 1) takes exactly one.",
                    "Write only the device's own certificate (the first block) as ClientCertificate. CA certificates do not go with it: the CA that signed the server's certificate goes into RootCA, and a CA that signed the device certificate is registered with the server (e.g. AWS IoT 'register CA').");
            }

            for (int i = 0; i < certificates.Count; i++)
            {
                CertificateInfo c = certificates[i];
                string name = (certificates.Count > 1 ? "Certificate " + (i + 1).ToString(CultureInfo.InvariantCulture) + " (" : "The certificate (") + c.Subject + ")";
                string period = "valid " + Date(c.NotBefore) + " to " + Date(c.NotAfter);
                if (now > c.NotAfter)
                {
                    warnings.Add(name + " expired on " + Date(c.NotAfter) + " (" + period + "); TLS servers and the modem will reject it.");
                }
                else if (now < c.NotBefore)
                {
                    warnings.Add(name + " is not valid yet: it starts on " + Date(c.NotBefore) + " (" + period + ").");
                }

                if (rule.Type == CredentialType.RootCA && !c.IsCertificateAuthority && (c.HasBasicConstraints || !c.IsSelfIssued))
                {
                    warnings.Add(name + " is not a CA certificate: the root CA slot (type 0) verifies the server, so it should hold the CA that issued the server's certificate chain.");
                }

                if (rule.Type == CredentialType.ClientCertificate && c.IsCertificateAuthority)
                {
                    warnings.Add(name + " is a CA certificate, not a device certificate: a client certificate slot (type 1) holds the device's own certificate.");
                }
            }

            AddLayoutWarnings(rule, content, blocks, warnings);
            if (policy == LineEndingPolicy.CrLf)
            {
                warnings.Add("CR LF line endings: firmware mfw_nrf91x1 2.0.2 and later has refused certificates with CR LF (+CME ERROR: 527); the default LF policy avoids that.");
            }

            return certificates;
        }

        // ---- private key -------------------------------------------------------------------

        private static PrivateKeyDetails ValidatePrivateKey(string content, string? passphrase, List<string> warnings)
        {
            CredentialTypeRule rule = CredentialRules.Get(CredentialType.ClientPrivateKey);
            IReadOnlyList<PemBlock> blocks = PemText.Parse(content);
            var keys = new List<PemBlock>();
            var others = new List<PemBlock>();
            bool ecParameters = false;
            foreach (PemBlock block in blocks)
            {
                if (PrivateKeyDetails.IsPrivateKeyLabel(block.Label))
                {
                    keys.Add(block);
                }
                else if (block.Label == "EC PARAMETERS")
                {
                    ecParameters = true;
                }
                else
                {
                    others.Add(block);
                }
            }

            if (blocks.Count == 0)
            {
                throw NoPem(rule, content, "PRIVATE KEY", "openssl pkey -inform der -in key.der -out key.pem");
            }

            if (keys.Count == 0)
            {
                throw WrongPem(rule, blocks);
            }

            if (keys.Count > 1)
            {
                throw new ModemException(ErrorIds.CredentialUnexpectedPemBlock, ModemErrorCategory.InvalidData,
                    "The text holds " + keys.Count.ToString(CultureInfo.InvariantCulture) + " private keys; a client private key slot (type 2) takes exactly one.",
                    "Write only the key that belongs to the client certificate.");
            }

            if (others.Count > 0)
            {
                throw Unexpected(rule, others, "the private key");
            }

            PemBlock key = keys[0];
            if (key.Label == "ENCRYPTED PRIVATE KEY" && passphrase != null)
            {
                if (passphrase.Length > CredentialRules.MaxPassphraseLength)
                {
                    throw new ModemException(ErrorIds.CredentialPassphraseTooLong, ModemErrorCategory.InvalidArgument,
                        "The passphrase has " + passphrase.Length.ToString(CultureInfo.InvariantCulture) + " characters; %CMNG takes at most " +
                        CredentialRules.MaxPassphraseLength.ToString(CultureInfo.InvariantCulture) + ".",
                        "Re-encrypt the key with a shorter passphrase (openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-p8.pem), or write it unencrypted.");
                }

                foreach (char c in passphrase)
                {
                    if (c < 0x20 || c > 0x7E || c == '"')
                    {
                        throw new ModemException(ErrorIds.CredentialPassphraseNotSendable, ModemErrorCategory.InvalidArgument,
                            "The passphrase contains a character that cannot be sent in an AT string (a double quote, or a character outside printable ASCII).",
                            "Re-encrypt the key with a passphrase of printable ASCII characters without double quotes.");
                    }
                }
            }

            PrivateKeyDetails details = PrivateKeyDetails.Parse(key, passphrase);
            if (!details.IsEncrypted && passphrase != null)
            {
                warnings.Add("The private key is not encrypted: the passphrase is not needed and is not sent.");
            }

            if (details.Algorithm != "EC" && details.Algorithm != "RSA")
            {
                warnings.Add("The private key is " + details.Algorithm + "; the modem's TLS stack is only known to use RSA and EC keys.");
            }

            if (ecParameters)
            {
                warnings.Add("The text has an 'EC PARAMETERS' block before the key (openssl ecparam -genkey writes one); it is sent as is. Remove it to save space if the modem refuses the key.");
            }

            AddLayoutWarnings(rule, content, blocks, warnings);
            return details;
        }

        // ---- PSK, identity, public key --------------------------------------------------------

        private static void ValidatePsk(string content)
        {
            for (int i = 0; i < content.Length; i++)
            {
                if (!Encodings.IsHexDigit(content[i]))
                {
                    bool prefix = i == 1 && (content[1] == 'x' || content[1] == 'X') && content[0] == '0';
                    bool space = char.IsWhiteSpace(content[i]);
                    throw new ModemException(ErrorIds.CredentialPskNotHex, ModemErrorCategory.InvalidData,
                        "The PSK is not hexadecimal: the character at position " + (i + 1).ToString(CultureInfo.InvariantCulture) + " is " +
                        (prefix ? "the 'x' of a '0x' prefix" : space ? "whitespace inside the key" : "not a hexadecimal digit") + ".",
                        "Give the PSK as hexadecimal digits only (0-9, A-F), two per byte, without '0x', spaces or separators; e.g. a 16-byte key is 32 digits.");
                }
            }

            if (content.Length % 2 != 0)
            {
                throw new ModemException(ErrorIds.CredentialPskOddLength, ModemErrorCategory.InvalidData,
                    "The PSK has an odd number of hexadecimal digits: every byte takes two.",
                    "Check that no digit is missing (add a leading 0 if the key starts with one).");
            }
        }

        private static void ValidatePskIdentity(string content, List<string> warnings)
        {
            for (int i = 0; i < content.Length; i++)
            {
                char c = content[i];
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ModemException(ErrorIds.CredentialPskIdentityNotPrintable, ModemErrorCategory.InvalidData,
                        "The PSK identity must be one line of printable ASCII: " +
                        (c == '\r' || c == '\n' ? "it has a line break" : c == '\t' ? "it has a tab" : "it has character " + PemText.CharCode(c)) +
                        " at " + Where(content, i) + ".",
                        "Give the identity on one line (e.g. nrf-<IMEI>), without tabs or control characters.");
                }
            }

            if (content.Trim().Length != content.Length)
            {
                warnings.Add("The PSK identity starts or ends with spaces; they are sent as part of it.");
            }
        }

        private static PublicKeyInfo ValidatePublicKey(string content, List<string> warnings)
        {
            CredentialTypeRule rule = CredentialRules.Get(CredentialType.PublicKey);
            IReadOnlyList<PemBlock> blocks = PemText.Parse(content);
            if (blocks.Count == 0)
            {
                throw NoPem(rule, content, "PUBLIC KEY", "openssl pkey -pubin -inform der -in key.der -out key.pem");
            }

            var keys = new List<PemBlock>();
            var others = new List<PemBlock>();
            foreach (PemBlock block in blocks)
            {
                (block.Label == "PUBLIC KEY" ? keys : others).Add(block);
            }

            if (keys.Count == 0)
            {
                throw WrongPem(rule, blocks);
            }

            if (keys.Count > 1)
            {
                throw new ModemException(ErrorIds.CredentialUnexpectedPemBlock, ModemErrorCategory.InvalidData,
                    "The text holds " + keys.Count.ToString(CultureInfo.InvariantCulture) + " public keys; a slot takes exactly one.",
                    "Write one public key per slot.");
            }

            if (others.Count > 0)
            {
                throw Unexpected(rule, others, "the public key");
            }

            PublicKeyInfo key = PublicKeyInfo.FromDer(keys[0].Der);
            if (key.Algorithm != "EC" || key.Curve != "P-256")
            {
                warnings.Add("The public key is " + key.Algorithm + (key.Curve is null ? string.Empty : " " + key.Curve) +
                    "; authenticated AT commands (%XSUDO) use ECDSA P-256 signatures, so the modem may refuse it.");
            }

            AddLayoutWarnings(rule, content, blocks, warnings);
            return key;
        }

        // ---- shared -------------------------------------------------------------------------

        private static void AddLayoutWarnings(CredentialTypeRule rule, string content, IReadOnlyList<PemBlock> blocks, List<string> warnings)
        {
            string outside = PemText.TextOutsideBlocks(content, blocks);
            if (outside.Length > 0)
            {
                warnings.Add("The text has " + outside.Length.ToString(CultureInfo.InvariantCulture) +
                    " characters outside the PEM blocks (e.g. OpenSSL 'Bag Attributes' or a text dump); they are sent as they are. Firmware that checks content (mfw_nrf91x1 2.0.2+) may refuse it with CME 527: remove them to be safe.");
            }

            foreach (PemBlock block in blocks)
            {
                if (!block.IsLineFormatted)
                {
                    warnings.Add("The '" + block.Label + "' block is not laid out in lines (BEGIN and END markers on lines of their own): the modem expects every PEM line to end with a newline. Re-save the " + rule.Description + " as OpenSSL writes it.");
                    break;
                }
            }
        }

        private static ModemException Empty(CredentialTypeRule rule) =>
            new ModemException(ErrorIds.CredentialContentEmpty, ModemErrorCategory.InvalidData,
                "The " + rule.Description + " is empty; the modem rejects an empty credential.",
                "Check the file or value you passed.");

        private static ModemException Binary(CredentialTypeRule rule, string what, bool isDer)
        {
            string remedy;
            if (!isDer)
            {
                remedy = rule.Format == CredentialContentFormat.Hex
                    ? "Give the PSK as hexadecimal text."
                    : rule.Format == CredentialContentFormat.Text ? "Give the identity as plain text." : "Give the PEM text file, not a binary file.";
            }
            else
            {
                remedy = rule.Format == CredentialContentFormat.PemPrivateKey
                    ? "Convert it to PEM: openssl pkey -inform der -in key.der -out key.pem"
                    : rule.Format == CredentialContentFormat.PemPublicKey
                        ? "Convert it to PEM: openssl pkey -pubin -inform der -in key.der -out key.pem"
                        : "Convert it to PEM: openssl x509 -inform der -in cert.der -out cert.pem";
            }

            return new ModemException(ErrorIds.CredentialContentBinary, ModemErrorCategory.InvalidData,
                "The " + rule.Description + " is not text: " + what + ".", remedy);
        }

        private static ModemException NoPem(CredentialTypeRule rule, string content, string label, string convert)
        {
            bool base64Only = content.Trim().Length > 40 && Encodings.TryFromBase64Url(RemoveWhitespace(content)) != null;
            return new ModemException(ErrorIds.PemNotFound, ModemErrorCategory.InvalidData,
                "The " + rule.Description + " is not PEM: there is no '-----BEGIN " + label + "-----' line" +
                (base64Only ? " (the text looks like bare base64 without the BEGIN/END lines)" : string.Empty) + ".",
                base64Only
                    ? "Add the '-----BEGIN " + label + "-----' and '-----END " + label + "-----' lines around the base64, or use the original file."
                    : "Give the PEM file; a binary (DER) file converts with: " + convert);
        }

        private static ModemException WrongPem(CredentialTypeRule rule, IReadOnlyList<PemBlock> blocks)
        {
            string found = blocks[0].Label;
            string hint;
            if (PrivateKeyDetails.IsPrivateKeyLabel(found))
            {
                hint = "This is a private key: write it as ClientPrivateKey (type 2).";
            }
            else if (CertificateInfo.IsCertificateLabel(found))
            {
                hint = "This is a certificate: write it as RootCA (type 0) or ClientCertificate (type 1).";
            }
            else if (found == "PUBLIC KEY")
            {
                hint = "This is a public key: a public key for authenticated AT commands is written with %XPMNG (type 5).";
            }
            else if (found == "RSA PUBLIC KEY")
            {
                hint = "This is a PKCS#1 RSA public key: convert it to a PUBLIC KEY with openssl rsa -RSAPublicKey_in -in key.pem -pubout.";
            }
            else if (found.EndsWith("CERTIFICATE REQUEST", StringComparison.Ordinal))
            {
                hint = "This is a certificate signing request: have a CA sign it, then write the certificate.";
            }
            else
            {
                hint = "Give the file that holds the " + rule.Description + ".";
            }

            return new ModemException(ErrorIds.PemWrongType, ModemErrorCategory.InvalidData,
                "The " + rule.Description + " is not what the text holds: it has " + PublicKeyInfo.DescribeLabels(blocks) + ".", hint);
        }

        private static ModemException Unexpected(CredentialTypeRule rule, List<PemBlock> others, string expected)
        {
            var labels = new List<string>();
            foreach (PemBlock b in others)
            {
                if (!labels.Contains("'" + b.Label + "'"))
                {
                    labels.Add("'" + b.Label + "'");
                }
            }

            bool secret = others.Exists(b => PrivateKeyDetails.IsPrivateKeyLabel(b.Label));
            return new ModemException(ErrorIds.CredentialUnexpectedPemBlock, ModemErrorCategory.InvalidData,
                "Besides " + expected + ", the text holds " + string.Join(" and ", labels) + " block(s), which do not belong in a " + rule.Description + " slot" +
                (secret ? " (and a private key must never go into a readable slot)" : string.Empty) + ".",
                "Write each item to its own type: certificates as RootCA or ClientCertificate, the key as ClientPrivateKey. Split the file so each holds one kind of block.");
        }

        private static ModemException TooLong(CredentialTypeRule rule, int commandLength, int max, int contentLength, int certificateCount, bool tagKnown)
        {
            int excess = commandLength - max;
            string message = "The write command for the " + rule.Description + " would be " + commandLength.ToString(CultureInfo.InvariantCulture) +
                " characters, but the AT host takes at most " + max.ToString(CultureInfo.InvariantCulture) +
                " (its 4096-byte buffer less the terminating NUL): the content is " + contentLength.ToString(CultureInfo.InvariantCulture) +
                " bytes, " + excess.ToString(CultureInfo.InvariantCulture) + " too many" +
                (tagKnown ? string.Empty : " (counted with a 10-digit sec_tag)") +
                ". The AT host would drop the excess silently and the write would hang.";
            string remedy = certificateCount > 1
                ? "Write only the one root CA the server's certificate chains to (the modem needs the root, not the whole chain; mfw also caps a chain at about 4 KB). Or use an AT host firmware built with a larger command buffer (an 'increased buffer' at_client build) and raise the command length limit."
                : "Shorten the content (an EC key or certificate is much smaller than an RSA one), or use an AT host firmware built with a larger command buffer (an 'increased buffer' at_client build) and raise the command length limit.";
            return new ModemException(ErrorIds.CredentialCommandTooLong, ModemErrorCategory.LimitsExceeded, message, remedy);
        }

        private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        private static string RemoveWhitespace(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
            {
                if (!char.IsWhiteSpace(c))
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }
}
