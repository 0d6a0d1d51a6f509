namespace Nrf91Cmng.Core.Errors
{
    // Credential rules, content validation (Credentials/) and crypto parsing and signing (Crypto/).
    public static partial class ErrorIds
    {
        // ---- credential rules -------------------------------------------------------------

        /// <summary>A sec_tag outside 0..4294967295, or a modem-owned sec_tag given where a user one is needed.</summary>
        public const string CredentialSecTagOutOfRange = "CredentialSecTagOutOfRange";

        /// <summary>A write to a modem-owned sec_tag (2147483648 and above; the nRF91x1 TLS-decrypt tags only on 91x1 firmware).</summary>
        public const string CredentialSecTagModemOwned = "CredentialSecTagModemOwned";

        /// <summary>A write of a type the modem owns or creates itself (6-11), or an unknown type number.</summary>
        public const string CredentialTypeNotWritable = "CredentialTypeNotWritable";

        /// <summary>A public key (type 5) written through %CMNG: it is written with %XPMNG.</summary>
        public const string CredentialTypeRequiresXpmng = "CredentialTypeRequiresXpmng";

        /// <summary>A read of a type the modem does not return (only RootCA and PskIdentity are readable).</summary>
        public const string CredentialTypeNotReadable = "CredentialTypeNotReadable";

        // ---- content validation (before anything is sent) ---------------------------------

        /// <summary>The content is empty or whitespace only.</summary>
        public const string CredentialContentEmpty = "CredentialContentEmpty";

        /// <summary>The content is binary (control characters, DER where PEM text is expected).</summary>
        public const string CredentialContentBinary = "CredentialContentBinary";

        /// <summary>The content has a character outside ASCII.</summary>
        public const string CredentialContentNotAscii = "CredentialContentNotAscii";

        /// <summary>The content has a double quote, which cannot be sent inside an AT string.</summary>
        public const string CredentialContentHasQuote = "CredentialContentHasQuote";

        /// <summary>The whole write command would exceed the AT host's command buffer.</summary>
        public const string CredentialCommandTooLong = "CredentialCommandTooLong";

        /// <summary>A client certificate given as a chain of several certificates.</summary>
        public const string CredentialCertificateChainNotAllowed = "CredentialCertificateChainNotAllowed";

        /// <summary>The expected PEM blocks are there, with others that do not belong (a key in a certificate file, two keys).</summary>
        public const string CredentialUnexpectedPemBlock = "CredentialUnexpectedPemBlock";

        /// <summary>A PSK with a character that is not a hexadecimal digit.</summary>
        public const string CredentialPskNotHex = "CredentialPskNotHex";

        /// <summary>A PSK with an odd number of hexadecimal digits.</summary>
        public const string CredentialPskOddLength = "CredentialPskOddLength";

        /// <summary>A PSK identity with a character outside printable ASCII.</summary>
        public const string CredentialPskIdentityNotPrintable = "CredentialPskIdentityNotPrintable";

        /// <summary>A passphrase given for a type that takes none (only ClientPrivateKey does).</summary>
        public const string CredentialPassphraseNotApplicable = "CredentialPassphraseNotApplicable";

        /// <summary>A passphrase longer than the 32 characters %CMNG accepts.</summary>
        public const string CredentialPassphraseTooLong = "CredentialPassphraseTooLong";

        /// <summary>A passphrase with a double quote or a character outside printable ASCII.</summary>
        public const string CredentialPassphraseNotSendable = "CredentialPassphraseNotSendable";

        /// <summary>A digest that is not 64 hexadecimal digits.</summary>
        public const string CredentialDigestMalformed = "CredentialDigestMalformed";

        // ---- PEM, certificates, keys -------------------------------------------------------

        /// <summary>A PEM block without its END line, or with a body that is not base64.</summary>
        public const string PemMalformed = "PemMalformed";

        /// <summary>No PEM block where one is needed.</summary>
        public const string PemNotFound = "PemNotFound";

        /// <summary>PEM blocks are there, but none of the expected kind (a key where a certificate is expected...).</summary>
        public const string PemWrongType = "PemWrongType";

        /// <summary>A CERTIFICATE block that does not parse as an X.509 certificate.</summary>
        public const string CertificateInvalid = "CertificateInvalid";

        /// <summary>A private key block that does not parse.</summary>
        public const string PrivateKeyInvalid = "PrivateKeyInvalid";

        /// <summary>An OpenSSL legacy-encrypted key (Proc-Type: 4,ENCRYPTED), which the modem does not take.</summary>
        public const string PrivateKeyLegacyEncryption = "PrivateKeyLegacyEncryption";

        /// <summary>An encrypted PKCS#8 key and no passphrase.</summary>
        public const string PrivateKeyPassphraseRequired = "PrivateKeyPassphraseRequired";

        /// <summary>An encrypted PKCS#8 key that the given passphrase does not open.</summary>
        public const string PrivateKeyPassphraseIncorrect = "PrivateKeyPassphraseIncorrect";

        /// <summary>A public key that does not parse (SubjectPublicKeyInfo expected).</summary>
        public const string PublicKeyInvalid = "PublicKeyInvalid";

        /// <summary>A certificate signing request that does not parse.</summary>
        public const string CsrInvalid = "CsrInvalid";

        /// <summary>A certificate signing request whose self-signature does not verify.</summary>
        public const string CsrSignatureInvalid = "CsrSignatureInvalid";

        // ---- %KEYGEN, %ATTESTTOKEN, COSE ---------------------------------------------------

        /// <summary>A %KEYGEN payload that is not <c>&lt;base64url&gt;.&lt;base64url&gt;</c>.</summary>
        public const string KeygenResponseMalformed = "KeygenResponseMalformed";

        /// <summary>The first part of a %KEYGEN payload is neither a DER CSR nor a DER public key.</summary>
        public const string KeygenDerInvalid = "KeygenDerInvalid";

        /// <summary>The second part of a %KEYGEN payload is not the expected COSE_Sign1 / payload.</summary>
        public const string KeygenCoseInvalid = "KeygenCoseInvalid";

        /// <summary>The digest inside the %KEYGEN COSE payload differs from SHA-256 of the CSR / key.</summary>
        public const string KeygenDigestMismatch = "KeygenDigestMismatch";

        /// <summary>An %ATTESTTOKEN payload that is not <c>&lt;base64url&gt;.&lt;base64url&gt;</c>.</summary>
        public const string AttestationTokenMalformed = "AttestationTokenMalformed";

        /// <summary>The CBOR body of an attestation token is not the expected array.</summary>
        public const string AttestationBodyInvalid = "AttestationBodyInvalid";

        /// <summary>The COSE part of an attestation token is not a COSE_Sign1.</summary>
        public const string AttestationCoseInvalid = "AttestationCoseInvalid";

        /// <summary>A COSE signature check with a key or algorithm that cannot verify it.</summary>
        public const string CoseVerificationUnsupported = "CoseVerificationUnsupported";

        // ---- CA signing --------------------------------------------------------------------

        /// <summary>The CA certificate does not parse.</summary>
        public const string CaCertificateInvalid = "CaCertificateInvalid";

        /// <summary>The CA certificate has no basicConstraints with cA true.</summary>
        public const string CaCertificateNotCa = "CaCertificateNotCa";

        /// <summary>The CA certificate's keyUsage does not allow certificate signing.</summary>
        public const string CaCertificateCannotSign = "CaCertificateCannotSign";

        /// <summary>The CA private key does not belong to the CA certificate.</summary>
        public const string CaKeyMismatch = "CaKeyMismatch";

        /// <summary>The CA key's algorithm or curve cannot sign here (ECDSA P-256/384/521 or RSA).</summary>
        public const string CaKeyUnsupported = "CaKeyUnsupported";

        /// <summary>A validity period outside 1..36500 days.</summary>
        public const string IssueValidityOutOfRange = "IssueValidityOutOfRange";

        /// <summary>A serial number that is not positive or longer than 20 bytes.</summary>
        public const string IssueSerialNumberInvalid = "IssueSerialNumberInvalid";

        /// <summary>After a write the modem lists a different digest.</summary>
        public const string CredentialVerifyMismatch = "CredentialVerifyMismatch";

        /// <summary>After a write the modem does not list the credential.</summary>
        public const string CredentialVerifyMissing = "CredentialVerifyMissing";


        /// <summary>No credential of that type at that sec_tag.</summary>
        public const string CredentialNotFound = "CredentialNotFound";

        /// <summary>A change to an entry that belongs to the modem was refused before sending.</summary>
        public const string CredentialModemOwned = "CredentialModemOwned";

        /// <summary>PEM armour and base64 not on lines of their own, and the text cannot be rewritten safely (or -LineEnding Preserve).</summary>
        public const string PemNotLineFormatted = "PemNotLineFormatted";

        /// <summary>Content read back twice did not match the digest the modem lists.</summary>
        public const string CredentialReadBackMismatch = "CredentialReadBackMismatch";

        /// <summary>A change that needs a confirmation in a PowerShell that cannot ask (-NonInteractive) and without -Force.</summary>
        public const string ChangeNotConfirmed = "ModemChangeNotConfirmed";
    }
}
