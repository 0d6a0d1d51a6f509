namespace Nrf91Cmng.Simulator
{
    /// <content>The command interpreter: one command line in, the raw reply out; compound commands, +CMEE, subscriptions and %XPOFWARN.</content>
    public sealed partial class VirtualModem
    {
        private readonly List<string> _received = new List<string>();

        /// <summary>The +CMEE setting (0 after power-on: every CME error reads ERROR).</summary>
        public int ErrorReporting
        {
            get
            {
                lock (_gate)
                {
                    return _cmee;
                }
            }
        }

        /// <summary>Every command line the console handed to the modem, exactly as assembled (terminator CR of CR LF builds included).</summary>
        public IReadOnlyList<string> ReceivedCommands
        {
            get
            {
                lock (_gate)
                {
                    return _received.ToArray();
                }
            }
        }

        /// <summary>
        /// Runs one command line through the modem's interpreter directly (no console, no faults,
        /// no waiting) and returns the modem's raw reply, e.g. <c>OK\r\n</c>. The command is recorded
        /// and changes state like any other.
        /// </summary>
        public string Execute(string commandLine)
        {
            if (commandLine is null)
            {
                throw new ArgumentNullException(nameof(commandLine));
            }

            lock (_gate)
            {
                RecordCommand(commandLine);
                var outcome = new Outcome();
                string reply = Interpret(Normalise(commandLine), outcome);
                AddModelled(outcome.Modelled);
                ScheduleLater(outcome);
                return reply;
            }
        }

        private void AddModelled(TimeSpan span) => Interlocked.Add(ref _modelledTicks, span.Ticks);

        private void RecordCommand(string assembled)
        {
            _received.Add(assembled);
            Interlocked.Increment(ref _commands);
        }

        /// <summary>§7.1: a leading LF (left over from CR LF sent to a CR build) and a trailing CR (CR LF builds) are harmless.</summary>
        private static string Normalise(string assembled) => assembled.TrimStart('\n').TrimEnd('\r');

        /// <summary>What one command did besides its reply.</summary>
        private sealed class Outcome
        {
            public TimeSpan Modelled;

            public TimeSpan ExtraDelay;

            public readonly List<string> Before = new List<string>();

            public readonly List<KeyValuePair<TimeSpan, string>> Later = new List<KeyValuePair<TimeSpan, string>>();

            public byte[]? Garbage;

            public int? PartialBytes;

            public bool Drop;

            public bool Reboot;

            /// <summary>Output-stage faults for this command's reply (interleaved lines, stalls, a second client).</summary>
            public List<FaultRule> OutputFaults = new List<FaultRule>();

            /// <summary>The command as faults match it; null when faults do not apply (<see cref="Execute"/>).</summary>
            public string? FaultCommand;

            /// <summary>Store-stage faults for the content this command writes, taken when it stores something.</summary>
            public List<FaultRule>? StoreFaults;
        }

        /// <summary>The modem proper: one command line in, the raw reply buffer out.</summary>
        private string Interpret(string command, Outcome outcome)
        {
            outcome.Modelled += _delays.Command;
            if (command.Length < 2 || char.ToUpperInvariant(command[0]) != 'A' || char.ToUpperInvariant(command[1]) != 'T')
            {
                return "ERROR\r\n";
            }

            string rest = command.Substring(2);
            if (rest.Length == 0)
            {
                return "OK\r\n";
            }

            List<string>? parts = AtCommandSyntax.SplitCompound(rest);
            if (parts is null)
            {
                return "ERROR\r\n";
            }

            var reply = new StringBuilder();
            foreach (string text in parts)
            {
                AtCommandPart? part = AtCommandSyntax.Parse(text);
                Result result = part is null ? Result.Error() : Dispatch(part, outcome);
                reply.Append(result.Info);
                if (result.Final is not null)
                {
                    return reply.Append(result.Final).Append("\r\n").ToString();
                }
            }

            return reply.Append("OK\r\n").ToString();
        }

        private Result Dispatch(AtCommandPart cmd, Outcome outcome)
        {
            switch (cmd.Name)
            {
                case "+CFUN":
                    return Cfun(cmd, outcome);
                case "+CCLK":
                    return Cclk(cmd);
                case "+CMEE":
                    return Cmee(cmd);
                case "+CGSN":
                    return Cgsn(cmd);
                case "+CGMR":
                    return Identity(cmd, Profile.Revision);
                case "+CGMM":
                    return Identity(cmd, Profile.Model);
                case "+CGMI":
                    return Identity(cmd, "Nordic Semiconductor ASA");
                case "%XMODEMUUID":
                    return Identity(cmd, "%XMODEMUUID: " + Profile.FirmwareUuid.ToString("D"));
                case "%DEVICEUUID":
                    return Profile.SupportsDeviceUuidCommand ? Identity(cmd, "%DEVICEUUID: " + DeviceUuid.ToString("D")) : Cme(0);
                case "%HWVERSION":
                    return Profile.HardwareVersion is string hw ? Identity(cmd, "%HWVERSION: " + hw) : Cme(0);
                case "%XICCID":
                    return cmd.Form != AtForm.Action ? Result.Error()
                        : _uicc ? Result.Ok("%XICCID: " + Iccid + "\r\n") : Result.Error();
                case "+CEREG":
                    return Subscription(cmd, ref _cereg, 5, "+CEREG", () => "+CEREG: " + _cereg.ToString(CultureInfo.InvariantCulture) + "," + (Profile.IsLteActive(_cfun) ? "1" : "0"));
                case "+CSCON":
                    return Subscription(cmd, ref _cscon, 3, "+CSCON", () => "+CSCON: " + _cscon.ToString(CultureInfo.InvariantCulture) + ",0");
                case "%XPOFWARN":
                    return Xpofwarn(cmd);
                case "%CMNG":
                    return SetFormOnly(cmd, p => Cmng(p, outcome));
                case "%XPMNG":
                    return Profile.SupportsPublicKeyManagement ? SetFormOnly(cmd, p => Xpmng(p, outcome)) : Cme(0);
                case "%XSUDO":
                    return Xsudo(cmd);
                case "%KEYGEN":
                    return Profile.SupportsKeyGeneration ? SetFormOnly(cmd, p => Keygen(p, outcome)) : Cme(0);
                case "%ATTESTTOKEN":
                    return Profile.SupportsAttestationToken ? AttestToken(cmd, outcome) : Cme(0);
                default:
                    return Result.Error();
            }
        }

        /// <summary>A command with only a set form (%CMNG, %XPMNG, %KEYGEN): any other form answers a bare ERROR.</summary>
        private static Result SetFormOnly(AtCommandPart cmd, Func<IReadOnlyList<AtParameter>, Result> set) =>
            cmd.Form == AtForm.Set ? set(cmd.Parameters) : Result.Error();

        private Result Cme(int code) =>
            Result.Fail(_cmee == 0 ? "ERROR" : "+CME ERROR: " + code.ToString(CultureInfo.InvariantCulture));

        private static string Line(string text) => text + "\r\n";

        private Result Cmee(AtCommandPart cmd)
        {
            switch (cmd.Form)
            {
                case AtForm.Read:
                    return Result.Ok(Line("+CMEE: " + _cmee.ToString(CultureInfo.InvariantCulture)));
                case AtForm.Test:
                    return Result.Ok(Line("+CMEE: (0,1)"));
                case AtForm.Set:
                    // 2 (verbose) is accepted but codes stay numeric, as a devzone user saw.
                    if (cmd.Parameters.Count == 1 && cmd.Parameters[0].TryInt(out int n) && n <= 2)
                    {
                        _cmee = n;
                        return Result.Ok();
                    }

                    return Cme(50);
                default:
                    return Result.Error();
            }
        }

        private Result Subscription(AtCommandPart cmd, ref int field, int max, string name, Func<string> read)
        {
            switch (cmd.Form)
            {
                case AtForm.Read:
                    return Result.Ok(Line(read()));
                case AtForm.Test:
                    return Result.Ok(Line(name + ": (0-" + max.ToString(CultureInfo.InvariantCulture) + ")"));
                case AtForm.Set:
                    if (cmd.Parameters.Count == 1 && cmd.Parameters[0].TryInt(out int n) && n <= max)
                    {
                        field = n;
                        return Result.Ok();
                    }

                    return Cme(50);
                default:
                    return Result.Error();
            }
        }

        private Result Xpofwarn(AtCommandPart cmd)
        {
            if (cmd.Form != AtForm.Set || cmd.Parameters.Count < 1 || cmd.Parameters.Count > 2 || !cmd.Parameters[0].TryInt(out int on) || on > 1)
            {
                return cmd.Form == AtForm.Set ? Cme(50) : Result.Error();
            }

            _xpofwarn = on == 1;
            return Result.Ok();
        }

        /// <summary>One command's information lines and, when it failed, its final result line.</summary>
        private readonly struct Result
        {
            private Result(string info, string? final)
            {
                Info = info;
                Final = final;
            }

            public string Info { get; }

            /// <summary>Null for OK.</summary>
            public string? Final { get; }

            public static Result Ok(string info = "") => new Result(info, null);

            public static Result Error() => new Result(string.Empty, "ERROR");

            public static Result Fail(string final) => new Result(string.Empty, final);
        }
    }
}
