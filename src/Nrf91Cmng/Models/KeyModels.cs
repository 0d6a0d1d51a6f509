namespace Nrf91Cmng
{
    /// <summary>A public key stored in the modem (Get-ModemPublicKey, AT%XPMNG=2) or written to it (Set-ModemPublicKey -PassThru).</summary>
    public sealed class ModemPublicKey : ModemOutput
    {
        /// <summary>The %XPMNG slot (0-9).</summary>
        public uint SecTag { get; internal set; }

        /// <summary>The key as PEM (PUBLIC KEY).</summary>
        public string Pem { get; internal set; } = string.Empty;

        /// <summary>EC, RSA, ...</summary>
        public string Algorithm { get; internal set; } = string.Empty;

        /// <summary>The named curve (P-256) for EC keys, else null.</summary>
        public string? Curve { get; internal set; }

        /// <summary>Key size in bits.</summary>
        public int KeySize { get; internal set; }

        /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, uppercase hex.</summary>
        public string Fingerprint { get; internal set; } = string.Empty;

        /// <summary>Where the key came from: the AT command that read it, or the file or parameter that was written.</summary>
        public string Source { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => Algorithm + (Curve is null ? string.Empty : " " + Curve) + " " + Fingerprint;

        internal static ModemPublicKey From(Core.Crypto.PublicKeyInfo key, string pem, uint slot, string source) => new ModemPublicKey
        {
            SecTag = slot,
            Pem = pem,
            Algorithm = key.Algorithm,
            Curve = key.Curve,
            KeySize = key.KeySize,
            Fingerprint = key.Fingerprint,
            Source = source,
        };
    }

    /// <summary>The result of New-ModemKey (AT%KEYGEN): a CSR or public key whose private key stays in the modem.</summary>
    public sealed class ModemKeyResult : ModemOutput
    {
        /// <summary>The sec_tag the private key was generated in.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>ClientPrivateKey or EndorsementKey.</summary>
        public string KeyType { get; internal set; } = "ClientPrivateKey";

        /// <summary>Csr or PublicKey.</summary>
        public string Output { get; internal set; } = "Csr";

        /// <summary>The certificate signing request as PEM (Output Csr), else null.</summary>
        public string? CsrPem { get; internal set; }

        /// <summary>The generated key pair's public key as PEM.</summary>
        public string PublicKeyPem { get; internal set; } = string.Empty;

        /// <summary>The CSR's subject (CN=&lt;device UUID&gt; unless -Subject was given), else null.</summary>
        public string? Subject { get; internal set; }

        /// <summary>The device UUID from the signed COSE payload.</summary>
        public Guid DeviceUuid { get; internal set; }

        /// <summary>SHA-256 of the DER CSR or public key, uppercase hex.</summary>
        public string Sha256 { get; internal set; } = string.Empty;

        /// <summary>True when the digest inside the signed COSE payload equals the digest of the DER: the reply was not altered.</summary>
        public bool DigestValid { get; internal set; }

        /// <summary>SHA-256 fingerprint of the public key.</summary>
        public string PublicKeyFingerprint { get; internal set; } = string.Empty;

        /// <summary>The %KEYGEN payload exactly as the modem sent it (base64url DER, '.', base64url COSE_Sign1).</summary>
        public string Raw { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => (CsrPem ?? PublicKeyPem).Trim();

        internal static ModemKeyResult From(Core.Crypto.KeygenResponse response, uint secTag, string keyType)
        {
            bool csr = response.Kind == Core.Crypto.KeygenOutputKind.Csr;
            return new ModemKeyResult
            {
                SecTag = secTag,
                KeyType = keyType,
                Output = csr ? "Csr" : "PublicKey",
                CsrPem = csr ? response.Pem : null,
                PublicKeyPem = response.PublicKeyPem,
                Subject = response.Subject,
                DeviceUuid = response.DeviceUuid,
                Sha256 = response.Sha256,
                DigestValid = response.DigestValid,
                PublicKeyFingerprint = response.PublicKey.Fingerprint,
                Raw = response.Text,
            };
        }
    }

    /// <summary>A client certificate issued by New-ModemClientCertificate; pipes into Set-ModemCredential by property name (SecTag, Type, Content, SessionId).</summary>
    public sealed class ModemClientCertificate : ModemOutput
    {
        /// <summary>The sec_tag of the key the certificate was issued for (from the ModemKeyResult), or 0.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>Always ClientCertificate.</summary>
        public CredentialType Type => CredentialType.ClientCertificate;

        /// <summary>The certificate as PEM: what Set-ModemCredential writes.</summary>
        public string Content { get; internal set; } = string.Empty;

        /// <summary>Subject (from the CSR).</summary>
        public string Subject { get; internal set; } = string.Empty;

        /// <summary>Issuer (the CA's subject).</summary>
        public string Issuer { get; internal set; } = string.Empty;

        /// <summary>Start of validity (UTC).</summary>
        public DateTime NotBefore { get; internal set; }

        /// <summary>End of validity (UTC).</summary>
        public DateTime NotAfter { get; internal set; }

        /// <summary>Serial number, hex.</summary>
        public string SerialNumber { get; internal set; } = string.Empty;

        /// <summary>SHA-256 fingerprint of the certificate, uppercase hex.</summary>
        public string Thumbprint { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => Content;

        internal static ModemClientCertificate From(Core.Crypto.IssuedCertificate issued, ModemKeyResult? key) => new ModemClientCertificate
        {
            SecTag = key?.SecTag ?? 0,
            Content = issued.Pem,
            Subject = issued.Subject,
            Issuer = issued.Issuer,
            NotBefore = issued.NotBefore.UtcDateTime,
            NotAfter = issued.NotAfter.UtcDateTime,
            SerialNumber = issued.SerialNumber,
            Thumbprint = issued.Sha256Fingerprint,
            SessionId = key?.SessionId ?? 0,
            PortName = key?.PortName,
            Imei = key?.Imei,
        };
    }

    /// <summary>A decoded attestation token (Get-ModemAttestationToken, AT%ATTESTTOKEN).</summary>
    public sealed class ModemAttestationToken : ModemOutput
    {
        /// <summary>The device UUID.</summary>
        public Guid DeviceUuid { get; internal set; }

        /// <summary>The device type by name (nRF9160 SIAA, nRF9161 LACA, ...).</summary>
        public string DeviceType { get; internal set; } = string.Empty;

        /// <summary>The device type number in the token.</summary>
        public int DeviceTypeId { get; internal set; }

        /// <summary>The modem firmware UUID.</summary>
        public Guid FirmwareUuid { get; internal set; }

        /// <summary>The challenge echoed in the token (hex), if one was given.</summary>
        public string? Nonce { get; internal set; }

        /// <summary>The token exactly as the modem sent it (base64url CBOR, '.', base64url COSE_Sign1), for nRF Cloud or your own backend.</summary>
        public string Token { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => Token;
    }
}
