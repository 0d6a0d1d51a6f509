namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>The firmware does not know %XPMNG.</summary>
        public const string PublicKeyCommandUnsupported = "ModemPublicKeyCommandUnsupported";

        /// <summary>The firmware does not know %KEYGEN (before mfw 1.3.0).</summary>
        public const string KeyGenerationUnsupported = "ModemKeyGenerationUnsupported";

        /// <summary>The firmware does not know %ATTESTTOKEN (before mfw 1.3.0).</summary>
        public const string AttestationUnsupported = "ModemAttestationUnsupported";

        /// <summary>-Subject or -KeyUsage cannot be sent (quote, non-ASCII, wrong flags).</summary>
        public const string KeyGenerationArgumentInvalid = "ModemKeyGenerationArgumentInvalid";

        /// <summary>-Challenge is not 32 hexadecimal digits.</summary>
        public const string AttestationChallengeInvalid = "ModemAttestationChallengeInvalid";

        /// <summary>-Csr is neither a ModemKeyResult, a CSR PEM, a %KEYGEN reply nor a file holding one.</summary>
        public const string CsrInputInvalid = "ModemCsrInputInvalid";
    }
}
