namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>-Path names no file.</summary>
        public const string CredentialFileNotFound = "CredentialFileNotFound";

        /// <summary>-Path (a wildcard) matches several files where one is needed.</summary>
        public const string CredentialFileAmbiguous = "CredentialFileAmbiguous";

        /// <summary>-Path names a directory.</summary>
        public const string CredentialFileIsDirectory = "CredentialFileIsDirectory";

        /// <summary>-Path is on a provider that is not the file system (Cert:, Env:, ...).</summary>
        public const string CredentialFileNotFileSystem = "CredentialFileNotFileSystem";

        /// <summary>The file is far larger than any AT command can carry.</summary>
        public const string CredentialFileTooLarge = "CredentialFileTooLarge";

        /// <summary>The file could not be read (permissions, locked).</summary>
        public const string CredentialFileUnreadable = "CredentialFileUnreadable";

        /// <summary>A different credential is stored and neither -Force nor a confirmation allowed replacing it.</summary>
        public const string CredentialReplaceNotConfirmed = "CredentialReplaceNotConfirmed";


        /// <summary>The firmware lists placeholder digests and the content cannot be read back: nothing to compare.</summary>
        public const string CredentialNotVerifiable = "CredentialNotVerifiable";

        /// <summary>No content source was given through the pipeline (no Path, Content, SecureContent or Certificate).</summary>
        public const string CredentialContentMissing = "CredentialContentMissing";
    }
}
