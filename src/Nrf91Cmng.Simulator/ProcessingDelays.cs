namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// How long the modem takes to process commands (model values of a real nRF91 behind at_host)
    /// and how much of that the simulator really waits (<see cref="Scale"/>). The model values are
    /// always added to <see cref="VirtualModem.ModelledProcessingTime"/>, so benchmarks can run with
    /// <see cref="Scale"/> 0 and still compute the physical limit.
    /// </summary>
    public sealed class ProcessingDelays
    {
        /// <summary>Factor applied to every modelled delay before waiting: 0 = no waiting, 1 = real time.</summary>
        public double Scale { get; set; }

        /// <summary>Any command's round trip through the modem (parsing, IPC): ~5 ms.</summary>
        public TimeSpan Command { get; set; } = TimeSpan.FromMilliseconds(5);

        /// <summary>Fixed part of a credential write to flash (%CMNG=0, %XPMNG=0): ~30 ms.</summary>
        public TimeSpan CredentialWrite { get; set; } = TimeSpan.FromMilliseconds(30);

        /// <summary>Per stored byte of a credential write: 40 µs, so a 1.2 KB certificate takes ~80 ms.</summary>
        public TimeSpan CredentialWritePerByte { get; set; } = TimeSpan.FromTicks(400);

        /// <summary>Credential delete (%CMNG=3): ~30 ms.</summary>
        public TimeSpan CredentialDelete { get; set; } = TimeSpan.FromMilliseconds(30);

        /// <summary>Listing or reading credentials: ~10 ms (plus <see cref="Command"/>).</summary>
        public TimeSpan CredentialRead { get; set; } = TimeSpan.FromMilliseconds(10);

        /// <summary>%KEYGEN (P-256 key pair, CSR, COSE signature): ~1.5 s.</summary>
        public TimeSpan KeyGeneration { get; set; } = TimeSpan.FromMilliseconds(1500);

        /// <summary>%ATTESTTOKEN: ~300 ms.</summary>
        public TimeSpan AttestationToken { get; set; } = TimeSpan.FromMilliseconds(300);

        /// <summary>A functional-mode change (AT+CFUN=n): ~100 ms.</summary>
        public TimeSpan FunctionalModeChange { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>From reset to the boot banner: ~400 ms; input is lost meanwhile.</summary>
        public TimeSpan Boot { get; set; } = TimeSpan.FromMilliseconds(400);

        /// <summary>The model values, not waited for (scale 0): the default.</summary>
        public static ProcessingDelays Off => new ProcessingDelays { Scale = 0 };

        /// <summary>The model values, waited for in real time (scale 1).</summary>
        public static ProcessingDelays Realistic => new ProcessingDelays { Scale = 1 };

        /// <summary>A copy.</summary>
        public ProcessingDelays Clone() => (ProcessingDelays)MemberwiseClone();
    }
}
