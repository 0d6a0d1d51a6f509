using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the credentials a modem stores, with their SHA-256 digests, and optionally reads their content.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemCredential")]
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
            try
            {
                // One AT%CMNG=1 per call, filtered on the modem when a single tag (and type) is asked for.
                uint? tagFilter = SecTag is { Length: 1 } ? SecTag[0] : (uint?)null;
                int? typeFilter = tagFilter is not null && Type is { Length: 1 } ? (int)Type[0] : (int?)null;
                IReadOnlyList<CredentialEntry> entries = session.Client.ListCredentials(tagFilter, typeFilter, Log, CancelToken);
                foreach (CredentialEntry entry in entries)
                {
                    if ((SecTag is not null && !SecTag.Contains(entry.SecTag))
                        || (Type is not null && !Type.Contains((CredentialType)entry.Type)))
                    {
                        continue;
                    }

                    ModemCredential credential = CredentialMapping.ToCredential(entry, session);
                    if (credential.IsModemOwned && !IncludeModemOwned)
                    {
                        continue;
                    }

                    if (IncludeContent && Core.Credentials.CredentialRules.MayTryToRead(entry.Type) && !credential.IsModemOwned)
                    {
                        ReadContent(session, credential);
                    }

                    WriteObject(credential);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ModemException ex)
            {
                ThrowModemError(ex, session);
            }
        }

        private void ReadContent(ModemSession session, ModemCredential credential)
        {
            try
            {
                CredentialEntry read = session.Client.ReadCredential(credential.SecTag, credential.TypeId, Log, CancelToken);
                credential.Content = read.Content;
                CredentialMapping.DecodeCertificate(credential, this);
            }
            catch (ModemCommandException ex) when (ex.Code == 514 || ex.Code == 513 || ex.Response.Result == Core.At.AtResultKind.Error)
            {
                WriteVerbose("The content of the " + credential.Type + " at sec_tag " + credential.SecTag + " cannot be read back on this firmware (" + ex.Response.FinalLine + ").");
            }
        }
    }
}
