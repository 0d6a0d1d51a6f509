using System;
using System.Globalization;
using System.Management.Automation;
using Nrf91Cmng.Core.Errors;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a modem's functional mode (AT+CFUN?).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemFunctionalMode")]
    [OutputType(typeof(ModemFunctionalMode))]
    public sealed class GetModemFunctionalModeCommand : SessionCmdletBase
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            try
            {
                int mode = session.Client.GetFunctionalMode(Log, CancelToken);
                WriteObject(new ModemFunctionalMode(session.Id, session.PortName, mode));
            }
            catch (OperationCanceledException)
            {
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, session);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Sets a modem's functional mode (AT+CFUN=n): Offline to write credentials, Normal to go online.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemFunctionalMode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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

            try
            {
                session.Client.SetFunctionalMode(mode, Log, CancelToken);
                WriteVerbose("Functional mode of " + session.PortName + " is now " + name + ".");
                if (PassThru)
                {
                    WriteObject(new ModemFunctionalMode(session.Id, session.PortName, mode));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, session);
            }
        }
    }

    /// <summary>Accepts a functional mode by name or by its +CFUN number.</summary>
    internal sealed class FunctionalModeTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case FunctionalMode mode:
                    return mode;
                case int number:
                    return Check(number, value);
                case long number when number >= int.MinValue && number <= int.MaxValue:
                    return Check((int)number, value);
                case string text when int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number):
                    return Check(number, value);
                case string text when Enum.TryParse(text.Trim(), ignoreCase: true, out FunctionalMode named) && !int.TryParse(text.Trim(), out _):
                    return named;
                default:
                    throw new ArgumentTransformationMetadataException(
                        "'" + value + "' is not a functional mode. Use a name (" + string.Join(", ", Enum.GetNames(typeof(FunctionalMode))) + ") or its +CFUN number.");
            }
        }

        private static FunctionalMode Check(int number, object original)
        {
            if (!Enum.IsDefined(typeof(FunctionalMode), number))
            {
                throw new ArgumentTransformationMetadataException(
                    "'" + original + "' is not a +CFUN mode of the nRF91 (0, 1, 2, 4, 20, 21, 30, 31, 40, 41, 44).");
            }

            return (FunctionalMode)number;
        }
    }
}
