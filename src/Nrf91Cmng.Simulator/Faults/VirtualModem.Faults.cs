using System.Diagnostics;

namespace Nrf91Cmng.Simulator
{
    /// <content>Applying armed faults to a command, and the power-off warning.</content>
    public sealed partial class VirtualModem
    {
        internal void OnPowerOffWarningRaised()
        {
            lock (_gate)
            {
                if (_xpofwarn && Profile.SupportsPowerOffWarning)
                {
                    _pending.Add(new PendingOutput(Stopwatch.GetTimestamp(), "%XPOFWARN", raw: false));
                }
            }
        }

        /// <summary>Records the command, applies faults and interprets it; null = no reply at all.</summary>
        private string? Process(string assembled, Outcome outcome)
        {
            RecordCommand(assembled);
            string command = Normalise(assembled);
            FaultRule? fault = Faults.Take(command);
            if (fault is not null)
            {
                switch (fault.Kind)
                {
                    case FaultKind.NoReply:
                        if (fault.Execute)
                        {
                            Interpret(command, outcome);
                        }

                        return null;
                    case FaultKind.CmeError:
                        outcome.Modelled += _delays.Command;
                        return Cme(fault.Code).Final + "\r\n";
                    case FaultKind.Drop:
                        outcome.Drop = true;
                        return null;
                    case FaultKind.Reboot:
                        if (fault.Execute)
                        {
                            Interpret(command, outcome);
                        }

                        outcome.Later.Clear();
                        outcome.Reboot = true;
                        return null;
                    case FaultKind.Garbage:
                        outcome.Garbage = fault.Bytes;
                        break;
                    case FaultKind.PartialReply:
                        outcome.PartialBytes = fault.ByteCount;
                        break;
                    case FaultKind.Delay:
                        outcome.ExtraDelay += fault.Delay;
                        break;
                    case FaultKind.TamperSignedDigest:
                        return TamperSignedDigest(Interpret(command, outcome));
                }
            }

            if (_randomNoiseRate > 0 && _random.NextDouble() < _randomNoiseRate)
            {
                outcome.Before.Add(RandomUrc());
            }

            return Interpret(command, outcome);
        }

        /// <summary>
        /// Flips the last byte of the SHA-256 inside a %KEYGEN COSE payload. The COSE_Sign1 ends with
        /// the payload's nonce (bstr 16: 17 bytes) and the signature (bstr 64: 66 bytes), so the
        /// digest's last byte sits 84 bytes from the end.
        /// </summary>
        private static string TamperSignedDigest(string reply)
        {
            int open = reply.IndexOf('"');
            int dot = open < 0 ? -1 : reply.IndexOf('.', open);
            int close = dot < 0 ? -1 : reply.IndexOf('"', dot);
            if (close < 0)
            {
                return reply;
            }

            byte[] cose = ModemCrypto.FromBase64Url(reply.Substring(dot + 1, close - dot - 1));
            if (cose.Length > 84)
            {
                cose[cose.Length - 84] ^= 0x01;
            }

            return reply.Substring(0, dot + 1) + ModemCrypto.Base64Url(cose) + reply.Substring(close);
        }

        private bool PowerOffWarningBlocks => Profile.SupportsPowerOffWarning && Faults.PowerOffWarning;
    }
}
