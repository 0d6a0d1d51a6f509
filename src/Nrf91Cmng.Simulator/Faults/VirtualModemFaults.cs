using System;
using System.Collections.Generic;

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
        private bool _powerOffWarning;

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

        /// <summary>Consumes and returns the first rule matching a complete command (mid-write drops excluded).</summary>
        internal FaultRule? Take(string command)
        {
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.Kind == FaultKind.Drop && rule.ByteCount >= 0)
                    {
                        continue;
                    }

                    if (rule.Matches(command))
                    {
                        Consume(i);
                        return rule;
                    }
                }

                return null;
            }
        }

        /// <summary>True (and consumed) when a mid-write drop matches the partial line.</summary>
        internal bool TakeMidWriteDrop(string partialLine)
        {
            lock (_gate)
            {
                for (int i = 0; i < _rules.Count; i++)
                {
                    FaultRule rule = _rules[i];
                    if (rule.Kind != FaultKind.Drop || rule.ByteCount < 0)
                    {
                        continue;
                    }

                    string line = partialLine.TrimStart('\n');
                    int needed = Math.Max(rule.ByteCount, rule.CommandPrefix?.Length ?? 0);
                    if (partialLine.Length >= needed && line.Length >= (rule.CommandPrefix?.Length ?? 0) && rule.Matches(line))
                    {
                        Consume(i);
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>True when a mid-write drop is armed (so the serve loop checks byte by byte).</summary>
        internal bool HasMidWriteDrop
        {
            get
            {
                lock (_gate)
                {
                    return _rules.Exists(r => r.Kind == FaultKind.Drop && r.ByteCount >= 0);
                }
            }
        }

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

        private void Consume(int index)
        {
            FaultRule rule = _rules[index];
            rule.Remaining--;
            if (rule.Remaining <= 0)
            {
                _rules.RemoveAt(index);
            }
        }
    }
}
