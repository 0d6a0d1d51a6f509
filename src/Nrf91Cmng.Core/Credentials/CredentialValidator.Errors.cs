namespace Nrf91Cmng.Core.Credentials
{
    public static partial class CredentialValidator
    {
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

        /// <summary>
        /// The one key block of a key slot: none is <see cref="WrongPem"/>, several are refused with
        /// their count ("The text holds 2 " + <paramref name="manyKeys"/>), and any other block
        /// beside it is <see cref="Unexpected"/>.
        /// </summary>
        private static PemBlock TheOneKey(CredentialTypeRule rule, IReadOnlyList<PemBlock> blocks, List<PemBlock> keys, List<PemBlock> others, string manyKeys, string manyRemedy, string expected)
        {
            if (keys.Count == 0)
            {
                throw WrongPem(rule, blocks);
            }

            if (keys.Count > 1)
            {
                throw new ModemException(ErrorIds.CredentialUnexpectedPemBlock, ModemErrorCategory.InvalidData,
                    "The text holds " + keys.Count.ToString(CultureInfo.InvariantCulture) + " " + manyKeys, manyRemedy);
            }

            if (others.Count > 0)
            {
                throw Unexpected(rule, others, expected);
            }

            return keys[0];
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
