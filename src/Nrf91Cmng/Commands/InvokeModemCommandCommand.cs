using Nrf91Cmng.Core.At;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Sends raw AT commands to a modem, one at a time, and returns each response as an object.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ModemCommand", HelpUri = HelpLinks.Base + "Invoke-ModemCommand.md")]
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
                    ResponsePrefix = AtCommandInfo.ResponsePrefixOf(command),
                    Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSeconds)) ? TimeSpan.FromSeconds(TimeoutSeconds) : (TimeSpan?)null,
                };
                AtResponse? response = null;
                if (!Guard(display, () => response = session.Client.Send(request, Log, CancelToken)))
                {
                    if (CancelToken.IsCancellationRequested)
                    {
                        return;
                    }

                    continue;
                }

                CommandFamily family = AtCommandInfo.FamilyOf(command);
                CmeErrorInfo? info = response!.ErrorCode is int code ? CmeErrors.Describe(code, family) : null;
                var result = new ModemResponse(session.Id, response.Command, response.Lines.ToArray(), response.Unsolicited.ToArray(),
                    (AtResult)(int)response.Result, response.ErrorCode, info is null ? null : info.Meaning + ". " + info.Remedy, response.Duration);
                if (response.IsOk)
                {
                    WriteObject(result);
                }
                else
                {
                    WriteModemError(new ModemCommandException(response, family), result);
                }
            }
        }
    }
}
