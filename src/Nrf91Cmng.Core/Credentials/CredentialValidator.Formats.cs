namespace Nrf91Cmng.Core.Credentials
{
    public static partial class CredentialValidator
    {
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

            PemBlock key = TheOneKey(rule, blocks, keys, others, "private keys; a client private key slot (type 2) takes exactly one.",
                "Write only the key that belongs to the client certificate.", "the private key");
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

            PublicKeyInfo key = PublicKeyInfo.FromDer(TheOneKey(rule, blocks, keys, others, "public keys; a slot takes exactly one.", "Write one public key per slot.", "the public key").Der);
            if (key.Algorithm != "EC" || key.Curve != "P-256")
            {
                warnings.Add("The public key is " + key.Algorithm + (key.Curve is null ? string.Empty : " " + key.Curve) +
                    "; authenticated AT commands (%XSUDO) use ECDSA P-256 signatures, so the modem may refuse it.");
            }

            AddLayoutWarnings(rule, content, blocks, warnings);
            return key;
        }

        // ---- shared -------------------------------------------------------------------------

        /// <summary>
        /// PEM whose armour and base64 are not on lines of their own (a one-line PEM, as copy-paste
        /// and some tools leave it) is never sent as it is: the modem expects every PEM line to end
        /// with a newline, and mfw 2.0.2+ refuses it. With nothing else wrong it is rewritten as
        /// standard PEM (64-character lines, then the line-ending policy) with a warning that states
        /// the digest the modem will list; anything else is refused with how to fix it. -LineEnding
        /// Preserve never sends or rewrites such a PEM.
        /// </summary>
        private static string LayOutPem(CredentialTypeRule rule, string content, LineEndingPolicy policy, List<string> warnings)
        {
            IReadOnlyList<PemBlock> blocks = PemText.Parse(content);
            PemBlock? loose = blocks.FirstOrDefault(b => !b.IsLineFormatted);
            if (loose is null)
            {
                return content;
            }

            string fix = "Re-save the " + rule.Description + " as OpenSSL writes it (BEGIN and END lines of their own, base64 in lines of 64 characters), e.g. openssl "
                + (rule.Format == CredentialContentFormat.PemCertificate ? "x509" : rule.Format == CredentialContentFormat.PemPublicKey ? "pkey -pubin" : "pkey") + " -in in.pem -out out.pem.";
            if (policy == LineEndingPolicy.Preserve)
            {
                throw new ModemException(ErrorIds.PemNotLineFormatted, ModemErrorCategory.InvalidData,
                    "The '" + loose.Label + "' block of the " + rule.Description + " is not laid out in lines, and -LineEnding Preserve sends text only as it is. Nothing was sent.",
                    "Leave out -LineEnding Preserve to have it rewritten as standard PEM, or " + char.ToLowerInvariant(fix[0]) + fix.Substring(1));
            }

            if (blocks.Any(b => b.Headers.Count > 0) || PemText.TextOutsideBlocks(content, blocks).Length > 0)
            {
                throw new ModemException(ErrorIds.PemNotLineFormatted, ModemErrorCategory.InvalidData,
                    "The '" + loose.Label + "' block of the " + rule.Description + " is not laid out in lines, and the text holds more than PEM blocks (headers or other text), so it cannot be rewritten safely. Nothing was sent.",
                    fix);
            }

            var standard = new StringBuilder();
            foreach (PemBlock block in blocks)
            {
                standard.Append(PemText.Encode(block.Label, block.Der));
            }

            string rewritten = CredentialContent.NormalizeLineEndings(standard.ToString(), policy);
            warnings.Add("The '" + loose.Label + "' block was not laid out in lines (the modem expects every PEM line to end with a newline); it is sent as standard PEM with "
                + (policy == LineEndingPolicy.CrLf ? "CR LF" : "LF") + " line endings, " + Encoding.UTF8.GetByteCount(rewritten).ToString(CultureInfo.InvariantCulture)
                + " bytes, SHA-256 " + CredentialContent.ComputeDigest(rewritten) + " (the digest the modem will list).");
            return rewritten;
        }

        private static void AddLayoutWarnings(CredentialTypeRule rule, string content, IReadOnlyList<PemBlock> blocks, List<string> warnings)
        {
            string outside = PemText.TextOutsideBlocks(content, blocks);
            if (outside.Length > 0)
            {
                warnings.Add("The text has " + outside.Length.ToString(CultureInfo.InvariantCulture) +
                    " characters outside the PEM blocks (e.g. OpenSSL 'Bag Attributes' or a text dump); they are sent as they are. Firmware that checks content (mfw_nrf91x1 2.0.2+) may refuse it with CME 527: remove them to be safe.");
            }

        }
    }
}
