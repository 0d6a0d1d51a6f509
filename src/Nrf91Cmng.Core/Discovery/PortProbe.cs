namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>What a short probe of one port found.</summary>
    public sealed class ProbeResult
    {
        internal ProbeResult(bool? responds, string? model, string? imei, string? note, CommandMode? mode = null)
        {
            Responds = responds;
            Model = model;
            Imei = imei;
            Note = note;
            Mode = mode;
        }

        /// <summary>The console found (raw AT, or a Zephyr shell with 'at', 'cred' or both); null when none answered.</summary>
        public CommandMode? Mode { get; }

        /// <summary>True when an AT console answered; null when the port was not probed (held by a session).</summary>
        public bool? Responds { get; }

        /// <summary>The model (AT+CGMM), when it answered.</summary>
        public string? Model { get; }

        /// <summary>The IMEI (AT+CGSN), when it answered.</summary>
        public string? Imei { get; }

        /// <summary>Why it did not answer, or null.</summary>
        public string? Note { get; }
    }

    /// <summary>Asks a port, briefly and without flow control, whether an nRF91 AT console is behind it.</summary>
    public static class PortProbe
    {
        /// <summary>Probes <paramref name="portName"/>: detects the console, then reads the model and IMEI. Never throws for a port that does not answer.</summary>
        public static ProbeResult Probe(string portName, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (PortLock.IsHeld(portName))
            {
                return new ProbeResult(null, null, null, "open in a modem session of this process (Get-ModemSession)");
            }

            var options = new ModemClientOptions
            {
                Mode = CommandMode.Auto,
                DefaultTimeout = timeout,
                DetectTimeout = timeout,
                Identify = false,
            };
            try
            {
                using ModemClient client = ModemClient.Connect(SerialTransport.Open(new SerialSettings(portName) { Handshake = SerialHandshake.None }), options, null, cancellationToken);
                if (!client.Channel.HasAt)
                {
                    return new ProbeResult(true, null, null, "a Zephyr shell with 'cred' and no 'at': the model and IMEI cannot be read", client.Mode);
                }

                ModemIdentity identity = client.Identify(null, cancellationToken);
                return new ProbeResult(true, identity.Model, identity.Imei, null, client.Mode);
            }
            catch (ModemException ex)
            {
                return new ProbeResult(false, null, null, ex.Message);
            }
            catch (OperationCanceledException)
            {
                return new ProbeResult(null, null, null, "probe cancelled");
            }
        }
    }
}
