using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nrf91Cmng.Core.Readiness;

namespace Nrf91Cmng.Commands
{
    /// <summary>Where credential text comes from (-Path, -Content, -SecureContent, -Certificate), resolved and validated before anything is sent.</summary>
    internal static class CredentialInput
    {
        /// <summary>Larger files cannot fit a 4095-character AT command whatever their line endings.</summary>
        internal const long MaxFileBytes = 64 * 1024;

        /// <summary>Resolves a PowerShell path (relative, PSDrive, one wildcard match) to exactly one readable file.</summary>
        public static string ResolveFile(PSCmdlet cmdlet, string path)
        {
            Collection<string> resolved;
            ProviderInfo provider;
            try
            {
                resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (ItemNotFoundException ex)
            {
                throw new ModemException(ErrorIds.CredentialFileNotFound, ModemErrorCategory.ObjectNotFound,
                    "The credential file '" + path + "' does not exist.", "Check the path; relative paths are resolved against the current location (" + cmdlet.SessionState.Path.CurrentFileSystemLocation + ").", ex);
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is PSArgumentException)
            {
                throw new ModemException(ErrorIds.CredentialFileNotFound, ModemErrorCategory.ObjectNotFound,
                    "The credential path '" + path + "' cannot be resolved: " + ex.Message, "Give a file system path to a PEM file.", ex);
            }

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw new ModemException(ErrorIds.CredentialFileNotFileSystem, ModemErrorCategory.InvalidArgument,
                    "'" + path + "' is on the " + provider.Name + " provider, not a file.",
                    "Give a file system path; for a certificate from a certificate store use -Certificate (Get-Item Cert:\\...).");
            }

            if (resolved.Count == 0)
            {
                throw new ModemException(ErrorIds.CredentialFileNotFound, ModemErrorCategory.ObjectNotFound,
                    "No file matches '" + path + "'.", "Check the path and the wildcard.");
            }

            if (resolved.Count > 1)
            {
                throw new ModemException(ErrorIds.CredentialFileAmbiguous, ModemErrorCategory.InvalidArgument,
                    "'" + path + "' matches " + resolved.Count + " files (" + string.Join(", ", resolved) + "); one credential takes one file.",
                    "Name one file, or pipe the files in with their sec_tags and types (Import-Csv plan.csv | Set-ModemCredential).");
            }

            string file = resolved[0];
            if (Directory.Exists(file))
            {
                throw new ModemException(ErrorIds.CredentialFileIsDirectory, ModemErrorCategory.InvalidArgument,
                    "'" + file + "' is a directory, not a credential file.", "Name the PEM file inside it.");
            }

            return file;
        }

        /// <summary>
        /// A serial port name as the system knows it: PowerShell paths of device nodes (./ttyACM0
        /// from /dev, PSDrives) are resolved; COM names and \\.\COMn are left alone.
        /// </summary>
        public static string ResolvePortPath(PSCmdlet cmdlet, string port)
        {
            port = Core.Platform.SerialPortNames.Normalize(port);
            if (port.IndexOfAny(new[] { '/', '\\' }) < 0 || port.StartsWith(@"\\.\", StringComparison.Ordinal))
            {
                return port;
            }

            try
            {
                return cmdlet.GetUnresolvedProviderPathFromPSPath(port);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException)
            {
                return port;
            }
        }

        /// <summary>Reads a credential file's bytes, refusing files no AT command can carry without reading them whole.</summary>
        public static byte[] ReadFile(string file)
        {
            try
            {
                long length = new FileInfo(file).Length;
                if (length > MaxFileBytes)
                {
                    throw new ModemException(ErrorIds.CredentialFileTooLarge, ModemErrorCategory.LimitsExceeded,
                        "'" + file + "' holds " + length + " bytes; an AT command carries at most 4095 characters, so no credential can be that large.",
                        "Check that this is the right file (a bundle of many certificates? a DER file?); the modem takes one certificate, chain or key of a few kilobytes.");
                }

                return File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ModemException(ErrorIds.CredentialFileUnreadable, ModemErrorCategory.PermissionDenied,
                    "'" + file + "' cannot be read: " + ex.Message, "Check the file's permissions and that no other program holds it open exclusively.", ex);
            }
        }

        /// <summary>
        /// The credential a Set-ModemCredential call names: exactly one content source (-Path,
        /// -Content, -SecureContent, -Certificate), validated for the session's modem before anything
        /// is sent; its warnings are written and its size and digest reported verbosely.
        /// </summary>
        public static PendingCredential Prepare(CredentialTargetCmdletBase cmdlet, ModemSession session, SecureString? secureContent, X509Certificate2? certificate,
            SecureString? passphraseText, string lineEnding)
        {
            Core.Credentials.CredentialType type = cmdlet.TypeValue.ToCore();
            CredentialRules.EnsureWritable(cmdlet.SecTag, type, session.Store.Firmware.Is91x1);
            var options = new CredentialValidationOptions { LineEndings = ToPolicy(lineEnding), SecTag = cmdlet.SecTag };
            string? passphrase = Reveal(passphraseText);
            int sources = (cmdlet.HasPath ? 1 : 0) + (cmdlet.HasContent ? 1 : 0) + (secureContent is null ? 0 : 1) + (certificate is null ? 0 : 1);
            if (sources != 1)
            {
                throw new ModemException(ErrorIds.CredentialContentMissing, ModemErrorCategory.InvalidArgument,
                    (sources == 0 ? "No credential content was given for the " : "Several content sources were given for the ") + cmdlet.Target + ".",
                    "Give exactly one of -Path, -Content, -SecureContent or -Certificate (in a CSV plan: one of the Path or Content columns per row).");
            }

            string description;
            CredentialValidationResult validation;
            if (cmdlet.HasPath)
            {
                description = ResolveFile(cmdlet, cmdlet.Path!);
                validation = CredentialValidator.Validate(type, ReadFile(description), passphrase, options);
            }
            else if (certificate is not null)
            {
                description = "certificate " + certificate.Subject;
                validation = CredentialValidator.Validate(type, ToPem(certificate), passphrase, options);
            }
            else
            {
                description = secureContent is null ? "-Content" : "-SecureContent";
                validation = CredentialValidator.Validate(type, Reveal(secureContent) ?? cmdlet.Content ?? string.Empty, passphrase, options);
            }

            var item = new InstallItem(cmdlet.SecTag, type, validation.Content, validation.PassphraseRequired ? passphrase : null, description);
            foreach (string warning in validation.Warnings)
            {
                cmdlet.WriteWarning(Core.Messages.Capital(item.Target) + ": " + warning);
            }

            cmdlet.WriteVerbose(Core.Messages.Capital(item.Target) + " from " + description + ": valid, " + validation.Length.ToString(CultureInfo.InvariantCulture)
                + " bytes, SHA-256 " + item.Sha256 + ", command " + validation.CommandLength.ToString(CultureInfo.InvariantCulture) + " of "
                + validation.MaxCommandLength.ToString(CultureInfo.InvariantCulture) + " characters.");
            return new PendingCredential(session, item, validation);
        }

        /// <summary>The text of -Path (a PowerShell path) or of -Content, with where it came from.</summary>
        public static string TextFrom(PSCmdlet cmdlet, string? path, string? content, out string source)
        {
            if (!string.IsNullOrEmpty(path))
            {
                source = ResolveFile(cmdlet, path!);
                return new UTF8Encoding(false, false).GetString(ReadFile(source));
            }

            source = "-Content";
            return content ?? string.Empty;
        }

        /// <summary>The PEM of an X509Certificate2 (the certificate only; never its private key).</summary>
        public static string ToPem(X509Certificate2 certificate)
        {
            var pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
            string base64 = Convert.ToBase64String(certificate.RawData);
            for (int i = 0; i < base64.Length; i += 64)
            {
                pem.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            return pem.Append("-----END CERTIFICATE-----\n").ToString();
        }

        /// <summary>The text of a SecureString; callers keep it out of every message.</summary>
        public static string? Reveal(SecureString? secure)
        {
            if (secure is null)
            {
                return null;
            }

            IntPtr pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        /// <summary>-Server of Test-ModemSecTag: a built-in profile name, or the path of the server's root CA file.</summary>
        public static ServerProfile ResolveServerProfile(PSCmdlet cmdlet, string server)
        {
            if (Enum.TryParse(server.Trim(), true, out ServerProfileKind kind) && kind != ServerProfileKind.Custom && Enum.IsDefined(typeof(ServerProfileKind), kind)
                && !server.Trim().All(char.IsDigit))
            {
                return ServerProfile.Get(kind);
            }

            string file;
            try
            {
                file = ResolveFile(cmdlet, server);
            }
            catch (ModemException ex)
            {
                throw new ModemException(ErrorIds.ReadinessProfileInvalid, ModemErrorCategory.InvalidArgument,
                    "-Server '" + server + "' is neither a server profile (AwsIot, NrfCloudMqtt, NrfCloudCoap, AzureIot) nor a CA file: " + ex.Message,
                    "Give a profile name, or the path of the server's root CA certificate (PEM).", ex);
            }

            return ServerProfile.FromCaPem(File.ReadAllText(file), file);
        }

        /// <summary>The core's line-ending policy for -LineEnding.</summary>
        public static LineEndingPolicy ToPolicy(string lineEnding) => (LineEndingPolicy)Enum.Parse(typeof(LineEndingPolicy), lineEnding, ignoreCase: true);
    }

    /// <summary>A validated credential waiting to be written (Set-ModemCredential collects them and writes per modem at the end).</summary>
    internal sealed class PendingCredential
    {
        public PendingCredential(ModemSession session, InstallItem item, CredentialValidationResult validation)
        {
            Session = session;
            Item = item;
            Validation = validation;
        }

        public ModemSession Session { get; }

        public InstallItem Item { get; }

        public CredentialValidationResult Validation { get; }

    }
}
