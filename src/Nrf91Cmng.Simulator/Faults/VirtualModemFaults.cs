namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// Fault injection. Rules match commands by prefix (case-insensitive, on the command as the modem
    /// interprets it, e.g. <c>AT%CMNG=0</c>) and are consumed in the order they were armed; the
    /// immediate faults act on the connection being served now. Thread-safe.
    /// </summary>
    public sealed class VirtualModemFaults
    {
        private static readonly byte[] s_defaultGarbage = { 0xFF, 0x00, 0xFE, 0x1B, 0x7E, 0x8A, 0x0D, 0xF0, 0x3F };
        private readonly object _gate = new object();
        private readonly List<FaultRule> _rules = new List<FaultRule>();
        private readonly VirtualModem _modem;
        private readonly List<byte> _stolen = new List<byte>();
        private bool _powerOffWarning;
        private long _strayBytes;

        internal VirtualModemFaults(VirtualModem modem)
        {
            _modem = modem;
        }

        /// <summary>
        /// A power-off warning is in force: credential writes, deletes, %XPMNG writes and %KEYGEN
        /// answer <c>+CME ERROR: 528</c> on firmware that knows it (1.3.2+, 91x1).
        /// </summary>
        public bool PowerOffWarning
        {
            get
            {
                lock (_gate)
                {
                    return _powerOffWarning;
                }
            }

            set
            {
                bool raised;
                lock (_gate)
                {
                    raised = value && !_powerOffWarning;
                    _powerOffWarning = value;
                }

                if (raised)
                {
                    _modem.OnPowerOffWarningRaised();
                }
            }
        }

        /// <summary>The rules still armed.</summary>
        public IReadOnlyList<FaultRule> Armed
        {
            get
            {
                lock (_gate)
                {
                    return _rules.ToArray();
                }
            }
        }

        /// <summary>The next <paramref name="count"/> matching commands get no reply (executed first when <paramref name="execute"/>).</summary>
        public FaultRule NoReply(string? commandPrefix = null, int count = 1, bool execute = false) =>
            Arm(new FaultRule(FaultKind.NoReply, commandPrefix, count) { Execute = execute });

        /// <summary>The next <paramref name="count"/> matching commands answer <c>+CME ERROR: <paramref name="code"/></c> and do nothing.</summary>
        public FaultRule CmeError(int code, string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.CmeError, commandPrefix, count) { Code = code });

        /// <summary>Garbage bytes precede the next matching reply (default: a few non-ASCII and control bytes).</summary>
        public FaultRule Garbage(byte[]? bytes = null, string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.Garbage, commandPrefix, count) { Bytes = (byte[])(bytes ?? s_defaultGarbage).Clone() });

        /// <summary>Only the first <paramref name="byteCount"/> bytes of the next matching reply are written (negative = half).</summary>
        public FaultRule PartialReply(int byteCount = -1, string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.PartialReply, commandPrefix, count) { ByteCount = byteCount });

        /// <summary>
        /// Closes the connection on the next matching command: when its terminator arrives, or, with
        /// <paramref name="afterBytes"/> &gt;= 0, as soon as that many bytes of it were received (mid-write;
        /// the command is never executed). The line being assembled stays in the device's buffer.
        /// </summary>
        public FaultRule Drop(string? commandPrefix = null, int afterBytes = -1) =>
            Arm(new FaultRule(FaultKind.Drop, commandPrefix, 1) { ByteCount = afterBytes });

        /// <summary>The board resets on the next matching command instead of answering (after executing it when <paramref name="execute"/>).</summary>
        public FaultRule RebootOn(string? commandPrefix = null, bool execute = false) =>
            Arm(new FaultRule(FaultKind.Reboot, commandPrefix, 1) { Execute = execute });

        /// <summary>The next matching commands wait <paramref name="delay"/> longer (real time, not scaled).</summary>
        public FaultRule Delay(TimeSpan delay, string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.Delay, commandPrefix, count) { Delay = delay });

        /// <summary>
        /// The next matching %KEYGEN reply carries a signed digest that no longer matches its CSR or
        /// public key (one byte of the digest inside the COSE payload flipped; everything still parses).
        /// </summary>
        public FaultRule TamperSignedDigest(string? commandPrefix = "AT%KEYGEN", int count = 1) =>
            Arm(new FaultRule(FaultKind.TamperSignedDigest, commandPrefix, count));

        /// <summary>
        /// Inserts a line after each of the reply lines <paramref name="afterLines"/> (1 = after the
        /// first line, 0 = before it; lines beyond the end go last) of the next matching reply: the
        /// <paramref name="lines"/> in turn, or the modem's own URCs and log lines when none are
        /// given. Lines are counted in the reply as the console frames it, so the lines of a PEM
        /// being read back (<c>AT%CMNG=2</c>, <c>AT%XPMNG=2</c>) count one by one.
        /// </summary>
        public FaultRule InterleaveLines(IEnumerable<int> afterLines, IEnumerable<string>? lines = null, string? commandPrefix = null, int count = 1)
        {
            int[] positions = (afterLines ?? throw new ArgumentNullException(nameof(afterLines))).ToArray();
            if (positions.Length == 0 || positions.Any(p => p < 0))
            {
                throw new ArgumentOutOfRangeException(nameof(afterLines), "Give at least one line number, 0 or more.");
            }

            string[] text = lines?.ToArray() ?? Array.Empty<string>();
            if (text.Any(l => l is null || l.IndexOf('\n') >= 0 || l.IndexOf('\r') >= 0))
            {
                throw new ArgumentException("Inserted lines carry no CR or LF; the console frames them.", nameof(lines));
            }

            return Arm(new FaultRule(FaultKind.InterleaveLines, commandPrefix, count) { AfterLines = positions, Lines = text });
        }

        /// <summary>
        /// The next matching reply stops after <paramref name="afterBytes"/> of its bytes (negative, the
        /// default: just before its final result line, so the final <c>OK</c> comes late) for
        /// <paramref name="stall"/>, then the rest follows. Real time, not scaled.
        /// </summary>
        public FaultRule StallReply(TimeSpan stall, int afterBytes = -1, string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.StallReply, commandPrefix, count) { Delay = stall, Offset = afterBytes });

        /// <summary>
        /// A second program on the same port reads <paramref name="bytes"/> bytes of the next matching
        /// reply, from reply byte <paramref name="fromByte"/> on. On a pseudo-terminal it really is a
        /// second open of the slave side, reading while those bytes go out: like a real second program
        /// it takes whatever the kernel hands it (some or all of them, or earlier bytes the client has
        /// not read yet, or none when the client reads first). Elsewhere exactly those bytes take
        /// their wire time and are not delivered. What it got is in <see cref="StolenBytes"/>.
        /// </summary>
        public FaultRule StealReply(int bytes, int fromByte = 0, string? commandPrefix = null, int count = 1)
        {
            if (bytes < 1 || fromByte < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(bytes), "Steal at least one byte, from byte 0 or later.");
            }

            return Arm(new FaultRule(FaultKind.StealReply, commandPrefix, count) { ByteCount = bytes, Offset = fromByte });
        }

        /// <summary>
        /// Right after the next matching reply, a second program on the same port writes
        /// <paramref name="bytes"/> to the device (a pseudo-terminal: through a second open of its slave
        /// side; elsewhere they are fed to the console as if they had arrived), e.g. a modem manager's
        /// <c>AT+GCAP\r</c> probe. They land before whatever the client sends next.
        /// </summary>
        public FaultRule StrayInput(byte[] bytes, string? commandPrefix = null, int count = 1)
        {
            if (bytes is null || bytes.Length == 0)
            {
                throw new ArgumentException("Give the stray bytes.", nameof(bytes));
            }

            return Arm(new FaultRule(FaultKind.StrayInput, commandPrefix, count) { Bytes = (byte[])bytes.Clone() });
        }

        /// <summary>
        /// The board resets while the next matching command is still arriving, once
        /// <paramref name="afterBytes"/> of its bytes (and at least the prefix) are in: nothing is
        /// executed, the store is untouched, the rest of the command is lost while it boots (or read
        /// as a new line if it comes later).
        /// </summary>
        public FaultRule RebootWhileReceiving(string? commandPrefix = null, int afterBytes = 0) =>
            Arm(new FaultRule(FaultKind.RebootWhileReceiving, commandPrefix, 1) { ByteCount = Math.Max(0, afterBytes) });

        /// <summary>
        /// The next matching command takes effect (a write is stored), <paramref name="afterBytes"/> bytes
        /// of its reply go out (negative: all but the final result line), then the board resets.
        /// </summary>
        public FaultRule RebootMidReply(string? commandPrefix = null, int afterBytes = -1) =>
            Arm(new FaultRule(FaultKind.RebootMidReply, commandPrefix, 1) { Offset = afterBytes });

        /// <summary>
        /// A bridge between host and modem (a terminal, a serial server in text mode) turns every bare LF
        /// into CR LF in the content of the next matching write (<c>%CMNG=0</c>, <c>%XPMNG=0</c>), so the
        /// modem stores, validates and lists other bytes than the host sent.
        /// </summary>
        public FaultRule RewriteLineEndings(string? commandPrefix = null, int count = 1) =>
            Arm(new FaultRule(FaultKind.RewriteLineEndings, commandPrefix, count));

        /// <summary>
        /// One byte of the content the next matching write stores is XORed with <paramref name="mask"/>
        /// (at content byte <paramref name="offset"/>; negative = the middle one), after any validation:
        /// the list shows the digest of what was stored, not of what was sent.
        /// </summary>
        public FaultRule FlipStoredByte(int offset = -1, byte mask = 0x01, string? commandPrefix = null, int count = 1)
        {
            if (mask == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(mask), "A zero mask flips nothing.");
            }

            return Arm(new FaultRule(FaultKind.FlipStoredByte, commandPrefix, count) { Offset = offset, Mask = mask });
        }

        /// <summary>Every byte a second program on the port (<see cref="StealReply"/>) has read so far.</summary>
        public byte[] StolenBytes
        {
            get
            {
                lock (_gate)
                {
                    return _stolen.ToArray();
                }
            }
        }

        /// <summary>How many stray bytes a second program on the port has written so far.</summary>
        public long StrayBytesWritten => Interlocked.Read(ref _strayBytes);

        /// <summary>
        /// A second program on the same port writes <paramref name="bytes"/> to the device now (see
        /// <see cref="StrayInput"/>). Ignored while no connection is served.
        /// </summary>
        public void WriteStrayNow(byte[] bytes)
        {
            if (bytes is null || bytes.Length == 0)
            {
                throw new ArgumentException("Give the stray bytes.", nameof(bytes));
            }

            _modem.WriteStray((byte[])bytes.Clone());
        }

        /// <summary>Writes garbage now, between commands.</summary>
        public void InjectGarbage(byte[]? bytes = null) => _modem.EnqueueOutput(Latin1((bytes ?? s_defaultGarbage)), raw: true);

        /// <summary>Writes <paramref name="count"/> unsolicited result codes now, between commands.</summary>
        public void UrcFlood(int count = 100) => _modem.EnqueueFlood(count);

        /// <summary>Closes the connection being served now.</summary>
        public void DropNow() => _modem.RequestDrop();

        /// <summary>Resets the board now (same as <see cref="VirtualModem.Reboot"/>).</summary>
        public void RebootNow() => _modem.Reboot();

        /// <summary>Disarms every rule and clears the power-off warning.</summary>
        public void Clear()
        {
            lock (_gate)
            {
                _rules.Clear();
                _powerOffWarning = false;
            }
        }

        /// <summary>Consumes and returns the first command-stage rule matching a complete command (one per command).</summary>
        internal FaultRule? Take(string command)
        {
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.Stage == FaultStage.Command && rule.Matches(command))
                    {
                        Consume(i);
                        return rule;
                    }
                }

                return null;
            }
        }

        /// <summary>Consumes and returns every rule of <paramref name="stage"/> (output or store) that matches the command, in arming order.</summary>
        internal List<FaultRule> TakeAll(string command, FaultStage stage)
        {
            var taken = new List<FaultRule>();
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.Stage == stage && rule.Matches(command))
                    {
                        taken.Add(rule);
                        if (Consume(i))
                        {
                            i--;
                        }
                    }
                }
            }

            return taken;
        }

        /// <summary>The receiving-stage rule (mid-write drop, reboot) the partial line has reached, consumed; null when none.</summary>
        internal FaultRule? TakeWhileReceiving(string partialLine)
        {
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.Stage != FaultStage.Receiving)
                    {
                        continue;
                    }

                    string line = partialLine.TrimStart('\n');
                    int needed = Math.Max(rule.ByteCount, rule.CommandPrefix?.Length ?? 0);
                    if (partialLine.Length >= needed && line.Length >= (rule.CommandPrefix?.Length ?? 0) && rule.Matches(line))
                    {
                        Consume(i);
                        return rule;
                    }
                }

                return null;
            }
        }

        /// <summary>True when a receiving-stage rule is armed (so the serve loop checks byte by byte).</summary>
        internal bool HasReceivingRule
        {
            get
            {
                lock (_gate)
                {
                    return _rules.Exists(r => r.Stage == FaultStage.Receiving);
                }
            }
        }

        internal void RecordStolen(byte[] bytes, int count)
        {
            lock (_gate)
            {
                for (int i = 0; i < count; i++)
                {
                    _stolen.Add(bytes[i]);
                }
            }
        }

        internal void RecordStray(int count) => Interlocked.Add(ref _strayBytes, count);

        private static string Latin1(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            return new string(chars);
        }

        private FaultRule Arm(FaultRule rule)
        {
            if (rule.Remaining < 1)
            {
                throw new ArgumentOutOfRangeException("count", "A fault must hit at least one command.");
            }

            lock (_gate)
            {
                _rules.Add(rule);
            }

            return rule;
        }

        /// <summary>Counts one hit; true when the rule is used up and was removed.</summary>
        private bool Consume(int index)
        {
            FaultRule rule = _rules[index];
            rule.Remaining--;
            if (rule.Remaining <= 0)
            {
                _rules.RemoveAt(index);
                return true;
            }

            return false;
        }
    }
}
