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
            outcome.OutputFaults = Faults.TakeAll(command, FaultStage.Output);
            outcome.FaultCommand = command;
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

        /// <summary>The store-stage rules for a command that stores content, taken (consumed) the first time it asks.</summary>
        private List<FaultRule> StoreFaults(Outcome outcome)
        {
            if (outcome.StoreFaults is null)
            {
                outcome.StoreFaults = outcome.FaultCommand is string command ? Faults.TakeAll(command, FaultStage.Store) : new List<FaultRule>();
            }

            return outcome.StoreFaults;
        }

        /// <summary>A bridge on the way in turns every bare LF of the content into CR LF (<see cref="FaultKind.RewriteLineEndings"/>).</summary>
        private byte[] BridgeContent(byte[] content, Outcome outcome)
        {
            if (!StoreFaults(outcome).Exists(f => f.Kind == FaultKind.RewriteLineEndings))
            {
                return content;
            }

            var rewritten = new List<byte>(content.Length + (content.Length / 32));
            for (int i = 0; i < content.Length; i++)
            {
                if (content[i] == (byte)'\n' && (i == 0 || content[i - 1] != (byte)'\r'))
                {
                    rewritten.Add((byte)'\r');
                }

                rewritten.Add(content[i]);
            }

            return rewritten.ToArray();
        }

        /// <summary>The stored bytes differ from what arrived: one byte XORed per <see cref="FaultKind.FlipStoredByte"/> rule.</summary>
        private byte[] CorruptStoredContent(byte[] content, Outcome outcome)
        {
            byte[] stored = content;
            foreach (FaultRule rule in StoreFaults(outcome))
            {
                if (rule.Kind != FaultKind.FlipStoredByte || content.Length == 0)
                {
                    continue;
                }

                if (ReferenceEquals(stored, content))
                {
                    stored = (byte[])content.Clone();
                }

                int at = rule.Offset < 0 ? stored.Length / 2 : Math.Min(rule.Offset, stored.Length - 1);
                stored[at] ^= rule.Mask;
            }

            return stored;
        }
    }
}
