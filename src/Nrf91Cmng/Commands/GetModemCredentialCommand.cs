namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the credentials a modem stores, with their SHA-256 digests, and optionally reads their content.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemCredential", HelpUri = HelpLinks.Base + "Get-ModemCredential.md")]
    [OutputType(typeof(ModemCredential))]
    public sealed class GetModemCredentialCommand : SessionCmdletBase
    {
        /// <summary>Only these sec_tags.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint[]? SecTag { get; set; }

        /// <summary>Only these types (names, numbers or CA, Cert, Key).</summary>
        [Parameter(Position = 1)]
        [CredentialTypeTransformation]
        [ArgumentCompleter(typeof(Completers.CredentialTypeCompleter))]
        public string[]? Type { get; set; }

        private CredentialType[]? TypeValues => Type?.Select(CredentialTypeTransformationAttribute.Parse).ToArray();

        /// <summary>Read the content of readable entries (root CA certificates, PSK identities) with AT%CMNG=2 and decode certificates.</summary>
        [Parameter]
        public SwitchParameter IncludeContent { get; set; }

        /// <summary>Include the entries that belong to the modem (reserved tags and types).</summary>
        [Parameter]
        public SwitchParameter IncludeModemOwned { get; set; }

        private readonly System.Collections.Generic.List<string> _notRead = new System.Collections.Generic.List<string>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                // One AT%CMNG=1 per call, filtered on the modem when a single tag (and type) is asked for.
                uint? tagFilter = SecTag is { Length: 1 } ? SecTag[0] : (uint?)null;
                CredentialType[]? types = TypeValues;
                Core.Credentials.CredentialType? typeFilter = tagFilter is not null && types is { Length: 1 } ? types[0].ToCore() : (Core.Credentials.CredentialType?)null;
                IReadOnlyList<CredentialEntry> entries = session.Store.List(tagFilter, typeFilter, Log, CancelToken);
                if (tagFilter is null)
                {
                    session.Credentials.Remember(entries);
                }

                foreach (CredentialEntry entry in entries.Where(e => (SecTag is null || SecTag.Contains(e.SecTag)) && (types is null || types.Contains(e.Type.ToPublic()))))
                {
                    ModemCredential credential = OutputMapping.ToCredential(entry, session);
                    if (credential.IsModemOwned && !IncludeModemOwned)
                    {
                        continue;
                    }

                    if (IncludeContent && CredentialRules.MayTryToRead(entry.Type) && !credential.IsModemOwned)
                    {
                        ReadContent(session, credential);
                    }
                    else if (IncludeContent && !credential.IsModemOwned)
                    {
                        _notRead.Add(credential.Type + " at " + credential.SecTag + " (never returned: " + (CredentialRules.IsSecret(entry.Type) ? "a secret" : "not readable") + ")");
                    }

                    WriteObject(credential);
                }
            }, terminating: true);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_notRead.Count > 0)
            {
                WriteWarning("-IncludeContent: the modem does not return the content of " + _notRead.Count + " credential(s), so their Content stays empty: "
                    + string.Join("; ", _notRead) + ". Private keys and PSKs are never readable, and client certificates are not readable on most firmware; compare digests with Test-ModemCredential instead.");
            }

            base.EndProcessing();
        }

        private void ReadContent(ModemSession session, ModemCredential credential)
        {
            Guard(credential, () =>
            {
                CredentialEntry? read = CredentialReader.TryRead(session.Store, credential.SecTag, credential.Type.ToCore(), Log, CancelToken, out string? why);
                if (read is null)
                {
                    _notRead.Add(credential.Type + " at " + credential.SecTag + " (the modem answered " + why + ")");
                    return;
                }

                credential.Content = read.Content;
                OutputMapping.DecodeCertificate(credential, Log);
            });
        }
    }
}
