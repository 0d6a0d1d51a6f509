using System.Security;
using System.Security.Cryptography.X509Certificates;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Signs a modem's CSR with your CA and returns the client certificate, ready for Set-ModemCredential.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ModemClientCertificate", HelpUri = HelpLinks.Base + "New-ModemClientCertificate.md")]
    [OutputType(typeof(ModemClientCertificate))]
    public sealed class NewModemClientCertificateCommand : ModemCmdletBase
    {
        /// <summary>The CSR: a ModemKeyResult from New-ModemKey, a CSR PEM file or text, or a %KEYGEN reply.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object? Csr { get; set; }

        /// <summary>The CA certificate: a PEM file or an X509Certificate2.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public object? CACertificate { get; set; }

        /// <summary>The CA private key: a PEM file (PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8).</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string? CAKey { get; set; }

        /// <summary>The passphrase of an encrypted CA key.</summary>
        [Parameter]
        public SecureString? CAKeyPassphrase { get; set; }

        /// <summary>Validity in days (365).</summary>
        [Parameter]
        [ValidateRange(1, CertificateIssuer.MaxValidityDays)]
        public int ValidityDays { get; set; } = 365;

        /// <summary>The serial number in hex; default a random 127-bit number.</summary>
        [Parameter]
        [ValidatePattern("^(0x)?[0-9A-Fa-f]{1,40}$")]
        public string? SerialNumber { get; set; }

        private string? _caPem;
        private string? _caKeyPem;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Guard(CACertificate, () =>
            {
                _caPem = CACertificate is PSObject pso && pso.BaseObject is X509Certificate2 c1 ? CredentialInput.ToPem(c1)
                    : CACertificate is X509Certificate2 c2 ? CredentialInput.ToPem(c2)
                    : CredentialInput.TextFrom(this, LanguagePrimitives.ConvertTo<string>(CACertificate), null, out _);
                _caKeyPem = CredentialInput.TextFrom(this, CAKey, null, out _);
            }, terminating: true);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            object input = Csr is PSObject pso ? pso.BaseObject : Csr!;
            ModemKeyResult? key = input as ModemKeyResult;
            Guard(key is null ? input : "CSR of sec_tag " + key.SecTag.ToString(CultureInfo.InvariantCulture), () =>
            {
                string csrText = key is not null ? key.CsrPem ?? throw new ModemException(ErrorIds.CsrInputInvalid, ModemErrorCategory.InvalidArgument,
                        "The key at sec_tag " + key.SecTag.ToString(CultureInfo.InvariantCulture) + " was generated with -Output PublicKey, so there is no CSR to sign.",
                        "Generate with New-ModemKey -Output Csr (the default).")
                    : CsrText(input);
                System.Numerics.BigInteger? serial = SerialNumber is null ? (System.Numerics.BigInteger?)null
                    : System.Numerics.BigInteger.Parse("0" + SerialNumber.Replace("0x", string.Empty), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                IssuedCertificate issued = CertificateIssuer.Sign(csrText, _caPem!, _caKeyPem!, CredentialInput.Reveal(CAKeyPassphrase), ValidityDays, serial);
                foreach (string warning in issued.Warnings)
                {
                    WriteWarning(warning);
                }

                WriteVerbose("Issued " + issued.Subject + " by " + issued.Issuer + ", valid to " + issued.NotAfter.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) + ", serial " + issued.SerialNumber + ".");
                WriteObject(ModemClientCertificate.From(issued, key));
            });
        }

        private string CsrText(object input)
        {
            if (input is string text)
            {
                // PEM text, or a %KEYGEN reply; anything else is a path.
                return KeyGenerationRules.IsCsrText(text) ? text : CredentialInput.TextFrom(this, text, null, out _);
            }

            if (input is FileInfo file)
            {
                return CredentialInput.TextFrom(this, file.FullName, null, out _);
            }

            throw new ModemException(ErrorIds.CsrInputInvalid, ModemErrorCategory.InvalidArgument,
                "-Csr got a " + input.GetType().Name + "; it takes the output of New-ModemKey, a CSR file or CSR text.",
                "Pipe New-ModemKey -Output Csr into this cmdlet, or give the path of a .csr/.pem file.");
        }
    }
}
