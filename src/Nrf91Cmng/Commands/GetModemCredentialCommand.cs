using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;

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
        public CredentialType[]? Type { get; set; }

        /// <summary>Read the content of readable entries (root CA certificates, PSK identities) with AT%CMNG=2 and decode certificates.</summary>
        [Parameter]
        public SwitchParameter IncludeContent { get; set; }

        /// <summary>Include the entries that belong to the modem (reserved tags and types).</summary>
        [Parameter]
        public SwitchParameter IncludeModemOwned { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                // One AT%CMNG=1 per call, filtered on the modem when a single tag (and type) is asked for.
                uint? tagFilter = SecTag is { Length: 1 } ? SecTag[0] : (uint?)null;
                Core.Credentials.CredentialType? typeFilter = tagFilter is not null && Type is { Length: 1 } ? Type[0].ToCore() : (Core.Credentials.CredentialType?)null;
                IReadOnlyList<CredentialEntry> entries = session.Store.List(tagFilter, typeFilter, Log, CancelToken);
                if (tagFilter is null)
                {
                    session.Credentials.Remember(entries);
                }

                foreach (CredentialEntry entry in entries.Where(e => (SecTag is null || SecTag.Contains(e.SecTag)) && (Type is null || Type.Contains(e.Type.ToPublic()))))
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

                    WriteObject(credential);
                }
            }, terminating: true);
        }

        private void ReadContent(ModemSession session, ModemCredential credential)
        {
            Guard(credential, () =>
            {
                CredentialEntry? read = CredentialReader.TryRead(session.Store, credential.SecTag, credential.Type.ToCore(), Log, CancelToken, out string? why);
                if (read is null)
                {
                    WriteVerbose("The content of the " + credential.Type + " at sec_tag " + credential.SecTag + " cannot be read back on this firmware (" + why + ").");
                    return;
                }

                credential.Content = read.Content;
                OutputMapping.DecodeCertificate(credential, Log);
            });
        }
    }
}
