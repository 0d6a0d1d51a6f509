namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a modem's functional mode (AT+CFUN?).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemFunctionalMode", HelpUri = HelpLinks.Base + "Get-ModemFunctionalMode.md")]
    [OutputType(typeof(ModemFunctionalMode))]
    public sealed class GetModemFunctionalModeCommand : SessionCmdletBase
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () => WriteObject(new ModemFunctionalMode(session.Id, session.PortName, session.Client.GetFunctionalMode(Log, CancelToken))));
        }
    }
}
