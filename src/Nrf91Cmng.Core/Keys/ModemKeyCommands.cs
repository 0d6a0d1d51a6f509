namespace Nrf91Cmng.Core.Keys
{
    /// <summary>The key and identity commands of the modem: <c>%KEYGEN</c>, <c>%XPMNG</c> and <c>%ATTESTTOKEN</c>.</summary>
    public static class ModemKeyCommands
    {
        /// <summary>
        /// Generates a key on the modem (<c>AT%KEYGEN</c>) and returns the quoted payload
        /// (<c>&lt;base64url DER&gt;.&lt;base64url COSE&gt;</c>).
        /// </summary>
        public static string GenerateKey(this ModemClient client, uint secTag, CredentialType keyType, int responseContent, string? attributes, string? keyUsage, IModemLog? log, CancellationToken cancellationToken)
        {
            var command = new StringBuilder("AT%KEYGEN=")
                .Append(secTag.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(((int)keyType).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(responseContent.ToString(CultureInfo.InvariantCulture));
            if (attributes is not null || keyUsage is not null)
            {
                command.Append(",\"").Append(attributes ?? string.Empty).Append('"');
            }

            if (keyUsage is not null)
            {
                command.Append(",\"").Append(keyUsage).Append('"');
            }

            AtResponse response = client.Execute(
                new AtRequest(command.ToString()) { ResponsePrefix = "%KEYGEN:", Timeout = client.Options.KeyGenerationTimeout, SlowBecause = "key generation" },
                CommandFamily.KeyGeneration, log, cancellationToken);
            return ModemClient.QuotedPayload(response, "%KEYGEN:");
        }

        /// <summary>Reads the public key of <c>%XPMNG</c> slot <paramref name="slot"/> (PEM).</summary>
        public static string ReadPublicKey(this ModemClient client, int? slot, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%XPMNG=2" + (slot is int s ? "," + s.ToString(CultureInfo.InvariantCulture) : string.Empty);
            AtResponse response = client.Execute(new AtRequest(command) { ResponsePrefix = "%XPMNG:" }, CommandFamily.PublicKey, log, cancellationToken);
            return ModemClient.QuotedPayload(response, "%XPMNG:");
        }

        /// <summary>
        /// Reads the public key of <c>%XPMNG</c> slot <paramref name="slot"/> and checks it against
        /// the digest the modem lists for that slot (type 5): a mismatch is read once more, then
        /// reported (<see cref="ErrorIds.CredentialReadBackMismatch"/>).
        /// </summary>
        public static string ReadPublicKeyVerified(this ModemClient client, ICredentialStore store, uint slot, IModemLog? log, CancellationToken cancellationToken)
        {
            string? first = null;
            for (int attempt = 0; ; attempt++)
            {
                string pem = client.ReadPublicKey(slot == 0 ? (int?)null : (int)slot, log, cancellationToken);
                if (CredentialReader.MatchesListedDigest(store, slot, pem, log ?? NullModemLog.Instance, cancellationToken, out string? listed))
                {
                    return pem;
                }

                string read = CredentialContent.ComputeDigest(pem);
                if (attempt == 1)
                {
                    throw CredentialReader.Mismatch(store, slot, CredentialType.PublicKey, listed!, first!, read);
                }

                first = read;
            }
        }

        /// <summary>Writes a public key with <c>AT%XPMNG=0,"pem"[,slot]</c>.</summary>
        public static void WritePublicKey(this ModemClient client, string pem, int? slot, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%XPMNG=0,\"" + pem + "\"" + (slot is int s ? "," + s.ToString(CultureInfo.InvariantCulture) : string.Empty);
            client.Execute(new AtRequest(command) { Timeout = client.Options.WriteTimeout, SlowBecause = "writing the public key to flash" }, CommandFamily.PublicKey, log, cancellationToken,
                "Writing the public key" + (slot is int t ? " to slot " + t.ToString(CultureInfo.InvariantCulture) : string.Empty));
        }

        /// <summary>Requests an attestation token (<c>AT%ATTESTTOKEN[="challenge"]</c>).</summary>
        public static string GetAttestationToken(this ModemClient client, string? challenge, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%ATTESTTOKEN" + (challenge is null ? string.Empty : "=\"" + challenge + "\"");
            AtResponse response = client.Execute(
                new AtRequest(command) { ResponsePrefix = "%ATTESTTOKEN:", Timeout = client.Options.KeyGenerationTimeout, SlowBecause = "creating the attestation token" },
                CommandFamily.Attestation, log, cancellationToken);
            return ModemClient.QuotedPayload(response, "%ATTESTTOKEN:");
        }
    }
}
