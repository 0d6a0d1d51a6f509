using System;
using System.Linq;
using System.Management.Automation;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Sends raw AT commands to a modem, one at a time, and returns each response as an object.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ModemCommand")]
    [OutputType(typeof(ModemResponse))]
    public sealed class InvokeModemCommandCommand : SessionCmdletBase
    {
        /// <summary>The commands, e.g. 'AT+CGMR'. The AT prefix is added when missing.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [Alias("AT")]
        public string[] Command { get; set; } = Array.Empty<string>();

        /// <summary>Timeout of each command in seconds; defaults to the session's.</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double TimeoutSeconds { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            foreach (string raw in Command)
            {
                string command = raw.Trim();
                if (!command.StartsWith("AT", StringComparison.OrdinalIgnoreCase))
                {
                    command = "AT" + command;
                }

                string display = CommandRedactor.Redact(command);
                var request = new AtRequest(command)
                {
                    DisplayText = display,
                    ResponsePrefix = ResponsePrefixOf(command),
                    Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSeconds)) ? TimeSpan.FromSeconds(TimeoutSeconds) : (TimeSpan?)null,
                };
                AtResponse response;
                try
                {
                    response = session.Client.Send(request, Log, CancelToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ModemException ex)
                {
                    if (ex.Category == ModemErrorCategory.ConnectionError)
                    {
                        ThrowModemError(ex, session);
                    }

                    WriteModemError(ex, display);
                    continue;
                }

                CmeErrorInfo? info = response.ErrorCode is int code ? CmeErrors.Describe(code, FamilyOf(command)) : null;
                var result = new ModemResponse(session.Id, response.Command, response.Lines.ToArray(), response.Unsolicited.ToArray(),
                    (AtResult)(int)response.Result, response.ErrorCode, info is null ? null : info.Meaning + ". " + info.Remedy, response.Duration);
                if (response.IsOk)
                {
                    WriteObject(result);
                }
                else
                {
                    WriteModemError(new ModemCommandException(response, FamilyOf(command)), result);
                }
            }
        }

        /// <summary>
        /// The prefix of information lines for extended commands (AT+CGSN=1 answers +CGSN:); null for
        /// commands that answer with bare lines (AT+CGSN, AT+CGMR). Unknown commands keep every
        /// non-URC line, so nothing the user asked for is hidden.
        /// </summary>
        internal static string? ResponsePrefixOf(string command)
        {
            string body = command.Substring(2);
            if (body.Length < 2 || (body[0] != '+' && body[0] != '%' && body[0] != '#'))
            {
                return null;
            }

            int end = 1;
            while (end < body.Length && (char.IsLetterOrDigit(body[end]) || body[end] == '_'))
            {
                end++;
            }

            string name = body.Substring(0, end);
            bool hasPrefixedAnswer = end < body.Length && (body[end] == '?' || body[end] == '=');
            if (!hasPrefixedAnswer && (name.Equals("+CGSN", StringComparison.OrdinalIgnoreCase)
                || name.Equals("+CGMR", StringComparison.OrdinalIgnoreCase)
                || name.Equals("+CGMM", StringComparison.OrdinalIgnoreCase)
                || name.Equals("+CGMI", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            if (name.Equals("+CGSN", StringComparison.OrdinalIgnoreCase) && body.Substring(end).StartsWith("=0", StringComparison.Ordinal))
            {
                return null;
            }

            return name.ToUpperInvariant() + ":";
        }

        internal static CommandFamily FamilyOf(string command)
        {
            string c = command.ToUpperInvariant();
            if (c.StartsWith("AT%CMNG=0", StringComparison.Ordinal))
            {
                return CommandFamily.CredentialWrite;
            }

            if (c.StartsWith("AT%CMNG=1", StringComparison.Ordinal))
            {
                return CommandFamily.CredentialList;
            }

            if (c.StartsWith("AT%CMNG=2", StringComparison.Ordinal))
            {
                return CommandFamily.CredentialRead;
            }

            if (c.StartsWith("AT%CMNG=3", StringComparison.Ordinal))
            {
                return CommandFamily.CredentialDelete;
            }

            if (c.StartsWith("AT%XPMNG", StringComparison.Ordinal))
            {
                return CommandFamily.PublicKey;
            }

            if (c.StartsWith("AT%KEYGEN", StringComparison.Ordinal))
            {
                return CommandFamily.KeyGeneration;
            }

            if (c.StartsWith("AT%ATTESTTOKEN", StringComparison.Ordinal) || c.StartsWith("AT%CLAIMTOKEN", StringComparison.Ordinal))
            {
                return CommandFamily.Attestation;
            }

            return c.StartsWith("AT+CFUN", StringComparison.Ordinal) ? CommandFamily.FunctionalMode : CommandFamily.General;
        }
    }
}
