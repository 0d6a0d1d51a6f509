namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>What the modem holds for a <c>Generate</c> plan entry, judged against the provisioning record.</summary>
    public enum GeneratedKeyState
    {
        /// <summary>The key or the certificate is not there: generate.</summary>
        Absent,

        /// <summary>Key and certificate are the ones recorded together: nothing to do.</summary>
        Unchanged,

        /// <summary>The key was regenerated (or the certificate replaced) after the certificate was issued: the pair no longer matches.</summary>
        KeyCertificateMismatch,

        /// <summary>Both are there but cannot be checked: no record, a record without this key, placeholder digests, or both changed since the record.</summary>
        Unverified,
    }

    /// <summary>The judgement of one generated key with its reason in words.</summary>
    public sealed class GeneratedKeyAssessment
    {
        internal GeneratedKeyAssessment(uint secTag, GeneratedKeyState state, string reason, string? keySha256, string? certificateSha256, RecordedCredential? recorded)
        {
            SecTag = secTag;
            State = state;
            Reason = reason;
            ListedKeySha256 = keySha256;
            ListedCertificateSha256 = certificateSha256;
            Recorded = recorded;
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The judgement.</summary>
        public GeneratedKeyState State { get; }

        /// <summary>Why, in words.</summary>
        public string Reason { get; }

        /// <summary>The digest the modem lists for the key (type 2), or null.</summary>
        public string? ListedKeySha256 { get; }

        /// <summary>The digest the modem lists for the certificate (type 1), or null.</summary>
        public string? ListedCertificateSha256 { get; }

        /// <summary>The recorded generated-key entry, or null.</summary>
        public RecordedCredential? Recorded { get; }

        /// <summary>True when the pair must be generated again to be usable (absent or mismatched).</summary>
        public bool NeedsGeneration => State == GeneratedKeyState.Absent || State == GeneratedKeyState.KeyCertificateMismatch;

        /// <inheritdoc />
        public override string ToString() => State + ": " + Reason;
    }

    /// <summary>Pure decisions the provisioner and the readiness check take from a provisioning record.</summary>
    public static class ProvisioningRecordDecisions
    {
        /// <summary>
        /// Judges the key and certificate at <paramref name="secTag"/> for a <c>Generate</c> entry:
        /// <see cref="GeneratedKeyState.Unchanged"/> when the listed key digest equals the one
        /// recorded together with the listed certificate digest; <see cref="GeneratedKeyState.KeyCertificateMismatch"/>
        /// when the key changed under a recorded certificate (or a readable certificate carries
        /// another public key); <see cref="GeneratedKeyState.Unverified"/> without a usable record.
        /// <paramref name="certificateContent"/> (type 1 read back, when the firmware allows it)
        /// decides the case of a replaced certificate.
        /// </summary>
        public static GeneratedKeyAssessment AssessGenerated(uint secTag, IReadOnlyList<CredentialEntry> listed, ProvisioningRecord? record, string? certificateContent = null)
        {
            if (listed is null)
            {
                throw new ArgumentNullException(nameof(listed));
            }

            string tag = secTag.ToString(CultureInfo.InvariantCulture);
            CredentialEntry? key = listed.FirstOrDefault(e => e.SecTag == secTag && e.Type == CredentialType.ClientPrivateKey);
            CredentialEntry? cert = listed.FirstOrDefault(e => e.SecTag == secTag && e.Type == CredentialType.ClientCertificate);
            string? keySha = key is null || key.IsPlaceholderDigest ? null : key.Sha256;
            string? certSha = cert is null || cert.IsPlaceholderDigest ? null : cert.Sha256;
            if (key is null || cert is null)
            {
                string missing = key is null && cert is null ? "neither a private key nor a client certificate" : key is null ? "a client certificate but no private key" : "a private key but no client certificate";
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Absent, "sec_tag " + tag + " holds " + missing + ".", keySha, certSha, null);
            }

            RecordedCredential? recorded = record?.FindGenerated(secTag);
            if (record is null)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unverified,
                    "There is no provisioning record for this modem, so nothing tells whether the key at sec_tag " + tag + " is still the one its certificate was issued for (%KEYGEN makes a new key every time).",
                    keySha, certSha, null);
            }

            if (recorded is null)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unverified,
                    "The provisioning record of " + record.ProvisionedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " has no key generated at sec_tag " + tag + ".",
                    keySha, certSha, null);
            }

            if (keySha is null || recorded.Sha256 is null)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unverified,
                    "The firmware lists no real digest for the key at sec_tag " + tag + " (or none was recorded), so it cannot be compared with the record.",
                    keySha, certSha, recorded);
            }

            bool keySame = string.Equals(keySha, recorded.Sha256, StringComparison.Ordinal);
            bool certSame = certSha is not null && string.Equals(certSha, recorded.CertificateSha256, StringComparison.Ordinal);
            string when = record.ProvisionedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            if (certificateContent is not null && recorded.PublicKey is not null && !(keySame && certSame))
            {
                PublicKeyInfo? certKey = TryPublicKey(certificateContent);
                PublicKeyInfo? recordedKey = recorded.GetPublicKey();
                if (certKey is not null && recordedKey is not null && !certKey.Matches(recordedKey))
                {
                    return new GeneratedKeyAssessment(secTag, GeneratedKeyState.KeyCertificateMismatch,
                        "The client certificate at sec_tag " + tag + " carries public key SHA256:" + certKey.Fingerprint + ", not the key generated on " + when + " (SHA256:" + recordedKey.Fingerprint + ").",
                        keySha, certSha, recorded);
                }

                if (certKey is not null && keySame)
                {
                    return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unchanged,
                        "The key at sec_tag " + tag + " is the one generated on " + when + ", and the client certificate now stored (re-issued since) carries its public key.",
                        keySha, certSha, recorded);
                }
            }

            if (keySame && certSame)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unchanged,
                    "The key and the client certificate at sec_tag " + tag + " are the pair recorded on " + when + ".", keySha, certSha, recorded);
            }

            if (!keySame && certSame)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.KeyCertificateMismatch,
                    "The private key at sec_tag " + tag + " was replaced after its certificate was issued: the modem lists key digest " + keySha +
                    ", the record of " + when + " has " + recorded.Sha256 + ", while the certificate is still the recorded one. A later %KEYGEN made a new key; the stored certificate belongs to the old key and TLS will fail.",
                    keySha, certSha, recorded);
            }

            if (keySame)
            {
                return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unverified,
                    "The key at sec_tag " + tag + " is the recorded one, but the client certificate changed since " + when + " (digest " + (certSha ?? "none") +
                    ", recorded " + (recorded.CertificateSha256 ?? "none") + "); without reading it back it cannot be told whether it was issued for this key.",
                    keySha, certSha, recorded);
            }

            return new GeneratedKeyAssessment(secTag, GeneratedKeyState.Unverified,
                "Both the key and the client certificate at sec_tag " + tag + " changed since the record of " + when + " (another tool or run wrote them); they cannot be checked against each other.",
                keySha, certSha, recorded);
        }

        private static PublicKeyInfo? TryPublicKey(string certificatePem)
        {
            try
            {
                return CertificateInfo.FromPem(certificatePem).PublicKey;
            }
            catch (ModemException)
            {
                return null;
            }
        }
    }
}
