using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Provisioning;

namespace Nrf91Cmng.Commands
{
    /// <summary>What the key cmdlets share: unsupported-command errors and changes made while offline.</summary>
    internal static class KeyCommandSupport
    {
        /// <summary>True when the modem did not know the command (bare ERROR, CME 0 or CME 60 on early firmware).</summary>
        public static bool IsUnknownCommand(ModemCommandException ex) =>
            ex.Code is null || ex.Code == 0 || ex.Code == 60 || ex.Response.Result == AtResultKind.Error;

        /// <summary>An unsupported-command error naming the firmware and the alternatives.</summary>
        public static ModemException Unsupported(string errorId, string command, ModemSession session, string alternatives, Exception? inner) =>
            new ModemException(errorId, ModemErrorCategory.NotImplemented,
                "The modem firmware " + (session.Firmware ?? "(unknown)") + " on " + session.PortName + " does not support " + command + ".",
                alternatives, inner);

        /// <summary>Runs a change with the modem offline: switches an active modem only when approved and restores the mode found.</summary>
        public static void RunOffline(ModemCmdletBase cmdlet, ModemSession session, bool force, Action change)
        {
            ModemClient client = session.Client;
            using (client.Exclusive())
            {
                var guard = new OfflineGuard(client, mode => RemoveModemCredentialCommand.ApproveModeSwitch(cmdlet, force, mode, session), cmdlet.Log, cmdlet.CancelToken);
                try
                {
                    guard.EnsureOffline(client.KnownFunctionalMode ?? client.GetFunctionalMode(cmdlet.Log, cmdlet.CancelToken));
                    guard.Run(change);
                }
                finally
                {
                    if (client.Channel.IsUsable)
                    {
                        guard.Dispose();
                    }

                    if (guard.RestoreError is not null)
                    {
                        cmdlet.WriteModemError(guard.RestoreError, session);
                    }
                }
            }
        }

        /// <summary>Runs a device operation: Ctrl+C ends it quietly, an unknown command becomes <paramref name="unsupported"/>, every engine error a non-terminating error.</summary>
        public static void Guard(ModemCmdletBase cmdlet, ModemSession session, object target, Action body, Func<ModemCommandException, ModemException> unsupported)
        {
            try
            {
                body();
            }
            catch (OperationCanceledException)
            {
            }
            catch (ModemCommandException ex) when (IsUnknownCommand(ex))
            {
                cmdlet.WriteModemError(unsupported(ex), session);
            }
            catch (ModemException ex)
            {
                cmdlet.WriteModemError(ex, target);
            }
        }

        /// <summary>The ModemPublicKey of <paramref name="key"/> in slot <paramref name="slot"/>.</summary>
        public static ModemPublicKey ToPublicKey(PublicKeyInfo key, string pem, uint slot, string source, ModemSession session) => new ModemPublicKey
        {
            SecTag = slot,
            Pem = pem,
            Algorithm = key.Algorithm,
            Curve = key.Curve,
            KeySize = key.KeySize,
            Fingerprint = key.Fingerprint,
            Source = source,
            SessionId = session.Id,
            PortName = session.PortName,
            Imei = session.Imei,
        };

        /// <summary>Reads -Path (a PowerShell path) or takes -Content.</summary>
        public static string TextFrom(PSCmdlet cmdlet, string? path, string? content, out string source)
        {
            if (!string.IsNullOrEmpty(path))
            {
                source = CredentialInput.ResolveFile(cmdlet, path!);
                return new UTF8Encoding(false, false).GetString(CredentialInput.ReadFile(source));
            }

            source = "-Content";
            return content ?? string.Empty;
        }
    }

    /// <summary>
    /// <para type="synopsis">Reads a public key stored in the modem for authenticated AT commands (AT%XPMNG=2).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemPublicKey")]
    [OutputType(typeof(ModemPublicKey))]
    public sealed class GetModemPublicKeyCommand : SessionCmdletBase
    {
        /// <summary>The %XPMNG slot to read (0-9; default 0).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 9)]
        public uint SecTag { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            KeyCommandSupport.Guard(this, session, "public key slot " + SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName, () =>
            {
                string pem = session.Client.ReadPublicKey(SecTag == 0 ? (int?)null : (int)SecTag, Log, CancelToken);
                PublicKeyInfo key = PublicKeyInfo.FromPem(pem);
                WriteObject(KeyCommandSupport.ToPublicKey(key, pem, SecTag, "AT%XPMNG=2" + (SecTag == 0 ? string.Empty : "," + SecTag.ToString(CultureInfo.InvariantCulture)), session));
            }, ex => KeyCommandSupport.Unsupported(ErrorIds.PublicKeyCommandUnsupported, "AT%XPMNG (public keys for authenticated AT commands)", session,
                    "Public keys are listed as type PublicKey (5) by Get-ModemCredential -Type PublicKey; on firmware that generates keys, New-ModemKey -Output PublicKey returns the public key of a key pair kept in the modem.", ex));
        }
    }

    /// <summary>
    /// <para type="synopsis">Writes a public key for authenticated AT commands to a modem slot (AT%XPMNG=0).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemPublicKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ModemPublicKey))]
    public sealed class SetModemPublicKeyCommand : SessionCmdletBase
    {
        /// <summary>The %XPMNG slot to write (0-9; default 0).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 9)]
        public uint SecTag { get; set; }

        /// <summary>A PEM file holding one PUBLIC KEY.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "FilePath")]
        [AllowEmptyString]
        [AllowNull]
        public string? Path { get; set; }

        /// <summary>The PUBLIC KEY PEM text (also binds from the Pem property of a ModemPublicKey or ModemKeyResult.PublicKeyPem).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Pem", "PublicKeyPem")]
        [AllowEmptyString]
        [AllowNull]
        public string? Content { get; set; }

        /// <summary>Switch an active modem offline without asking (it is restored afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the ModemPublicKey written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            KeyCommandSupport.Guard(this, session, session, () =>
            {
                if (string.IsNullOrEmpty(Path) == string.IsNullOrEmpty(Content))
                {
                    throw new ModemException(ErrorIds.CredentialContentMissing, ModemErrorCategory.InvalidArgument,
                        string.IsNullOrEmpty(Path) ? "No public key was given." : "Both -Path and -Content were given.", "Give exactly one of -Path or -Content.");
                }

                string text = KeyCommandSupport.TextFrom(this, Path, Content, out string source);
                CredentialValidationResult validation = CredentialValidator.Validate(Core.Credentials.CredentialType.PublicKey, text, null,
                    new CredentialValidationOptions { SecTag = SecTag });
                PublicKeyInfo key = validation.PublicKey!;
                foreach (string warning in validation.Warnings)
                {
                    WriteWarning(warning);
                }

                string target = "public key slot " + SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName + " (" + key.Algorithm + (key.Curve is null ? string.Empty : " " + key.Curve) + ", SHA-256 " + key.Fingerprint.Substring(0, 8) + "... from " + source + ")";
                if (!ShouldProcess(target, "Write with AT%XPMNG=0"))
                {
                    return;
                }

                KeyCommandSupport.RunOffline(this, session, Force, () =>
                    session.Client.WritePublicKey(validation.Content, SecTag == 0 ? (int?)null : (int)SecTag, Log, CancelToken));
                if (PassThru)
                {
                    WriteObject(KeyCommandSupport.ToPublicKey(key, validation.Content, SecTag, source, session));
                }
            }, ex => KeyCommandSupport.Unsupported(ErrorIds.PublicKeyCommandUnsupported, "AT%XPMNG (public keys for authenticated AT commands)", session,
                    "On firmware 1.3 and later a public key can be written as a credential: Set-ModemCredential -SecTag <tag> -Type PublicKey -Path key.pem.", ex));
        }
    }

    /// <summary>
    /// <para type="synopsis">Generates a key pair inside the modem (AT%KEYGEN) and returns a signed CSR or the public key; the private key never leaves the modem.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ModemKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ModemKeyResult))]
    public sealed class NewModemKeyCommand : SessionCmdletBase
    {
        private static readonly string[] s_keyUsageBits =
        {
            "DigitalSignature", "NonRepudiation", "KeyEncipherment", "DataEncipherment", "KeyAgreement", "KeyCertSign", "CrlSign", "EncipherOnly", "DecipherOnly",
        };

        /// <summary>The sec_tag to generate the private key in (its private key, if any, is replaced).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint SecTag { get; set; }

        /// <summary>Csr (default): a certificate signing request; PublicKey: the public key only.</summary>
        [Parameter]
        [ValidateSet("Csr", "PublicKey", IgnoreCase = true)]
        public string Output { get; set; } = "Csr";

        /// <summary>The CSR subject, e.g. 'CN=nrf-352656100000000,O=Example'; default CN=&lt;device UUID&gt;.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Subject { get; set; }

        /// <summary>X.509 key usages (DigitalSignature, NonRepudiation, KeyEncipherment, DataEncipherment, KeyAgreement, KeyCertSign, CrlSign, EncipherOnly), or the modem's 9-character 0/1 string.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? KeyUsage { get; set; }

        /// <summary>ClientPrivateKey (type 2, default) or EndorsementKey (type 8; an existing one is reused).</summary>
        [Parameter]
        [ValidateSet("ClientPrivateKey", "EndorsementKey", IgnoreCase = true)]
        public string KeyType { get; set; } = "ClientPrivateKey";

        /// <summary>Skip the confirmation and switch an active modem offline (restored afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            KeyCommandSupport.Guard(this, session, session, () =>
            {
                bool endorsement = string.Equals(KeyType, "EndorsementKey", StringComparison.OrdinalIgnoreCase);
                bool csr = string.Equals(Output, "Csr", StringComparison.OrdinalIgnoreCase);
                if (!endorsement)
                {
                    CredentialRules.EnsureWritable(SecTag, Core.Credentials.CredentialType.ClientPrivateKey, session.Client.Identity.Firmware.Is91x1);
                }

                string? attributes = CheckSubject(Subject);
                string? keyUsage = KeyUsageFlags(KeyUsage);
                if (!session.Client.Identity.Firmware.HasKeyGeneration && session.Client.Identity.Firmware.Family != "unknown")
                {
                    throw KeygenUnsupported(session, null);
                }

                string target = (endorsement ? "endorsement key" : "private key") + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName;
                if (!ShouldProcessUnlessForced(Force, target, "Generate a new key pair in the modem (replaces a private key stored there)"))
                {
                    return;
                }

                string raw = string.Empty;
                KeyCommandSupport.RunOffline(this, session, Force, () =>
                    raw = session.Client.GenerateKey(SecTag, endorsement ? 8 : 2, csr ? 0 : 1, attributes, keyUsage, Log, CancelToken));
                KeygenResponse response = KeygenResponse.Parse(raw);
                if (!response.DigestValid)
                {
                    WriteWarning("The digest signed by the modem (" + response.EmbeddedDigest + ") does not match the " + (csr ? "CSR" : "public key")
                        + " received (" + response.Sha256 + "): the reply was altered on the way. Do not use it; generate again.");
                }

                WriteObject(new ModemKeyResult
                {
                    SecTag = SecTag,
                    KeyType = endorsement ? "EndorsementKey" : "ClientPrivateKey",
                    Output = response.Kind == KeygenOutputKind.Csr ? "Csr" : "PublicKey",
                    CsrPem = response.Kind == KeygenOutputKind.Csr ? response.Pem : null,
                    PublicKeyPem = response.PublicKeyPem,
                    Subject = response.Subject,
                    DeviceUuid = response.DeviceUuid,
                    Sha256 = response.Sha256,
                    DigestValid = response.DigestValid,
                    PublicKeyFingerprint = response.PublicKey.Fingerprint,
                    Raw = response.Text,
                    SessionId = session.Id,
                    PortName = session.PortName,
                    Imei = session.Imei,
                });
            }, ex => KeygenUnsupported(session, ex));
        }

        private static ModemException KeygenUnsupported(ModemSession session, Exception? inner) =>
            KeyCommandSupport.Unsupported(ErrorIds.KeyGenerationUnsupported, "AT%KEYGEN (key generation in the modem; modem firmware 1.3.0 or later)", session,
                "Update the modem firmware to 1.3.0 or later, or generate the key pair on the computer and write it with Set-ModemCredential -Type ClientPrivateKey (the key then exists outside the modem).", inner);

        private static string? CheckSubject(string? subject)
        {
            if (subject is null)
            {
                return null;
            }

            if (subject.IndexOf('"') >= 0 || subject.Any(c => c < 0x20 || c > 0x7E))
            {
                throw new ModemException(ErrorIds.KeyGenerationArgumentInvalid, ModemErrorCategory.InvalidArgument,
                    "The subject '" + subject + "' cannot be sent: it holds a double quote or a character outside printable ASCII.",
                    "Write the subject as comma-separated RDNs in printable ASCII, e.g. 'CN=nrf-352656100000000,O=Example,C=NO'.");
            }

            if (!Regex.IsMatch(subject, @"^\s*[A-Za-z][A-Za-z0-9.]*\s*=[^=]"))
            {
                throw new ModemException(ErrorIds.KeyGenerationArgumentInvalid, ModemErrorCategory.InvalidArgument,
                    "The subject '" + subject + "' is not a distinguished name.", "Write it as comma-separated name=value pairs, e.g. 'CN=device-1,O=Example'.");
            }

            return subject.Trim();
        }

        private static string? KeyUsageFlags(string[]? usages)
        {
            if (usages is null)
            {
                return null;
            }

            if (usages.Length == 1 && Regex.IsMatch(usages[0], "^[01]{9}$"))
            {
                if (usages[0][8] == '1')
                {
                    throw new ModemException(ErrorIds.KeyGenerationArgumentInvalid, ModemErrorCategory.InvalidArgument,
                        "The key usage string '" + usages[0] + "' sets decipherOnly, which the modem refuses.", "Leave the ninth flag 0.");
                }

                return usages[0];
            }

            var bits = new char[9];
            for (int i = 0; i < bits.Length; i++)
            {
                bits[i] = '0';
            }

            foreach (string usage in usages.SelectMany(u => u.Split(',')).Select(u => u.Trim()).Where(u => u.Length > 0))
            {
                int index = Array.FindIndex(s_keyUsageBits, b => string.Equals(b, usage, StringComparison.OrdinalIgnoreCase));
                if (index < 0 || index == 8)
                {
                    throw new ModemException(ErrorIds.KeyGenerationArgumentInvalid, ModemErrorCategory.InvalidArgument,
                        "'" + usage + "' is not a key usage the modem accepts.",
                        "Use " + string.Join(", ", s_keyUsageBits.Take(8)) + ", or a 9-character string of 0 and 1 (decipherOnly, the ninth, must be 0).");
                }

                bits[index] = '1';
            }

            return new string(bits);
        }
    }

    /// <summary>
    /// <para type="synopsis">Signs a modem's CSR with your CA and returns the client certificate, ready for Set-ModemCredential.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ModemClientCertificate")]
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
            try
            {
                _caPem = CACertificate is PSObject pso && pso.BaseObject is X509Certificate2 c1 ? CredentialInput.ToPem(c1)
                    : CACertificate is X509Certificate2 c2 ? CredentialInput.ToPem(c2)
                    : new UTF8Encoding(false, false).GetString(CredentialInput.ReadFile(CredentialInput.ResolveFile(this, LanguagePrimitives.ConvertTo<string>(CACertificate))));
                _caKeyPem = new UTF8Encoding(false, false).GetString(CredentialInput.ReadFile(CredentialInput.ResolveFile(this, CAKey!)));
            }
            catch (ModemException ex)
            {
                ThrowModemError(ex, CACertificate);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            object input = Csr is PSObject pso ? pso.BaseObject : Csr!;
            ModemKeyResult? key = input as ModemKeyResult;
            try
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
                WriteObject(new ModemClientCertificate
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
                });
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, key is null ? input : "CSR of sec_tag " + key.SecTag.ToString(CultureInfo.InvariantCulture));
            }
        }

        private string CsrText(object input)
        {
            if (input is string text)
            {
                // PEM text, or a %KEYGEN reply (base64url '.' base64url, optionally with its prefix and quotes); anything else is a path.
                if (text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0 || Regex.IsMatch(text.Trim(), "^(%KEYGEN:\\s*)?\"?[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{40,}\"?$"))
                {
                    return text;
                }

                return new UTF8Encoding(false, false).GetString(CredentialInput.ReadFile(CredentialInput.ResolveFile(this, text)));
            }

            if (input is FileInfo file)
            {
                return new UTF8Encoding(false, false).GetString(CredentialInput.ReadFile(file.FullName));
            }

            throw new ModemException(ErrorIds.CsrInputInvalid, ModemErrorCategory.InvalidArgument,
                "-Csr got a " + input.GetType().Name + "; it takes the output of New-ModemKey, a CSR file or CSR text.",
                "Pipe New-ModemKey -Output Csr into this cmdlet, or give the path of a .csr/.pem file.");
        }
    }

    /// <summary>
    /// <para type="synopsis">Requests and decodes the modem's attestation token (AT%ATTESTTOKEN): device UUID, device type and firmware UUID.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemAttestationToken")]
    [OutputType(typeof(ModemAttestationToken))]
    public sealed class GetModemAttestationTokenCommand : SessionCmdletBase
    {
        /// <summary>A challenge (nonce) of 32 hexadecimal digits to bind the token to (nRF91x1 firmware).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Challenge { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            KeyCommandSupport.Guard(this, session, session, () =>
            {
                if (Challenge is not null && !Regex.IsMatch(Challenge, "^[0-9A-Fa-f]{32}$"))
                {
                    throw new ModemException(ErrorIds.AttestationChallengeInvalid, ModemErrorCategory.InvalidArgument,
                        "The challenge must be 32 hexadecimal digits (16 bytes); got " + Challenge.Length.ToString(CultureInfo.InvariantCulture) + " characters.",
                        "Give 16 random bytes as hex, e.g. (1..16 | ForEach-Object { '{0:X2}' -f (Get-Random -Maximum 256) }) -join ''.");
                }

                string raw = session.Client.GetAttestationToken(Challenge, Log, CancelToken);
                AttestationToken token = AttestationToken.Parse(raw);
                WriteObject(new ModemAttestationToken
                {
                    DeviceUuid = token.DeviceUuid,
                    DeviceType = token.DeviceTypeName,
                    DeviceTypeId = token.DeviceType,
                    FirmwareUuid = token.FirmwareUuid,
                    Nonce = token.Nonce,
                    Token = token.Text,
                    SessionId = session.Id,
                    PortName = session.PortName,
                    Imei = session.Imei,
                });
            }, ex => KeyCommandSupport.Unsupported(ErrorIds.AttestationUnsupported, "AT%ATTESTTOKEN (modem firmware 1.3.0 or later)", session,
                    "Update the modem firmware to 1.3.0 or later; the IMEI (Get-ModemInfo) identifies the device meanwhile.", ex));
        }
    }
}
