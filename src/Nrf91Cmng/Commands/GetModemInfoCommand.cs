using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a modem's identity: IMEI, model, firmware, manufacturer, device UUID and functional mode.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemInfo", HelpUri = HelpLinks.Base + "Get-ModemInfo.md")]
    [OutputType(typeof(ModemInfo))]
    public sealed class GetModemInfoCommand : SessionCmdletBase
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                using (session.Client.Exclusive())
                {
                    ModemIdentity identity = session.Client.Identify(Log, CancelToken);
                    string? manufacturer = session.Client.ReadManufacturer(Log, CancelToken);
                    int mode = session.Client.GetFunctionalMode(Log, CancelToken);
                    WriteObject(new ModemInfo
                    {
                        Imei = identity.Imei,
                        Model = identity.Model,
                        Firmware = identity.Firmware.Name.Length == 0 ? null : identity.Firmware.Name,
                        FirmwareFamily = identity.Firmware.Family,
                        FirmwareVersion = identity.Firmware.Version?.ToString(3),
                        Manufacturer = manufacturer,
                        DeviceUuid = ReadDeviceUuid(session),
                        FunctionalMode = mode,
                    }.From(session));
                }
            });
        }

        /// <summary>
        /// %DEVICEUUID where the firmware has it, else the UUID inside an attestation token
        /// (mfw 1.3.0+); null on older firmware. Never fails Get-ModemInfo.
        /// </summary>
        private string? ReadDeviceUuid(ModemSession session)
        {
            return session.Client.TryReadDeviceUuid(Log, CancelToken)?.ToString("D");
        }
    }
}
