using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;

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

        /// <summary>Validates file bytes (BOM, DER and non-UTF-8 refused with hints).</summary>
        public static CredentialValidationResult ValidateFile(PSCmdlet cmdlet, string path, CredentialType type, string? passphrase, CredentialValidationOptions options, out string description)
        {
            string file = ResolveFile(cmdlet, path);
            description = file;
            return CredentialValidator.Validate(ToCore(type), ReadFile(file), passphrase, options);
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

        /// <summary>The core's credential type for the public one (same numbers).</summary>
        public static Core.Credentials.CredentialType ToCore(CredentialType type) => (Core.Credentials.CredentialType)(int)type;

        /// <summary>The core's line-ending policy for -LineEnding.</summary>
        public static LineEndingPolicy ToPolicy(string lineEnding) => (LineEndingPolicy)Enum.Parse(typeof(LineEndingPolicy), lineEnding, ignoreCase: true);
    }
}
