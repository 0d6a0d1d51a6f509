namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// Base of the cmdlets that take one credential by (sec_tag, type) and its local text from
    /// -Path or -Content, by value or by property name (plan rows from Import-Csv, where an unused
    /// column arrives as an empty string).
    /// </summary>
    public abstract class CredentialTargetCmdletBase : SessionCmdletBase
    {
        /// <summary>The sec_tag (0-2147483647 for your own credentials).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint SecTag { get; set; }

        /// <summary>The credential type: RootCA, ClientCertificate, ClientPrivateKey, Psk or PskIdentity, by name, number (0-4) or alias (CA, Cert, Key, PskId); Tab offers the types this command takes.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [CredentialTypeTransformation]
        [ArgumentCompleter(typeof(Completers.CredentialTypeCompleter))]
        public string Type { get; set; } = string.Empty;

        /// <summary>The type -Type names.</summary>
        internal CredentialType TypeValue => CredentialTypeTransformationAttribute.Parse(Type);

        /// <summary>A PEM (or PSK / identity text) file; PowerShell paths, relative to the current location.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "FilePath")]
        [AllowEmptyString]
        [AllowNull]
        public string? Path { get; set; }

        /// <summary>The credential text itself (PEM, PSK hex, identity).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Pem")]
        [AllowEmptyString]
        [AllowNull]
        public string? Content { get; set; }

        /// <summary>"root CA certificate at sec_tag 42": the target named in messages.</summary>
        internal string Target => Core.Credentials.CredentialRules.Describe(TypeValue.ToCore()) + " at sec_tag " + SecTag.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>True when -Path names something.</summary>
        internal bool HasPath => !string.IsNullOrEmpty(Path);

        /// <summary>True when -Content was given (an empty Content beside a Path is an unused CSV column).</summary>
        internal bool HasContent => Content is not null && !(Content.Length == 0 && HasPath);
    }
}
