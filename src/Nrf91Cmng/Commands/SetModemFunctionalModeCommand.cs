namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets a modem's functional mode (AT+CFUN=n): Offline to write credentials, Normal to go online.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemFunctionalMode", HelpUri = HelpLinks.Base + "Set-ModemFunctionalMode.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ModemFunctionalMode))]
    public sealed class SetModemFunctionalModeCommand : SessionCmdletBase
    {
        /// <summary>The mode: a name (Offline, Normal, PowerOff, LteOff, ...) or its +CFUN number.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [FunctionalModeTransformation]
        public FunctionalMode Mode { get; set; }

        /// <summary>Emit the new mode.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            int mode = (int)Mode;
            string name = FunctionalModeNames.Describe(mode);
            if (!ShouldProcess(session.Name + " (" + session.PortName + ")", "Set functional mode to " + name + " (AT+CFUN=" + mode.ToString(CultureInfo.InvariantCulture) + ")"))
            {
                return;
            }

            Guard(session, () =>
            {
                session.Client.SetFunctionalMode(mode, Log, CancelToken);
                WriteVerbose("Functional mode of " + session.PortName + " is now " + name + ".");
                if (PassThru)
                {
                    WriteObject(new ModemFunctionalMode(session.Id, session.PortName, mode));
                }
            });
        }
    }
}
