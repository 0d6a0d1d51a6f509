using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace Nrf91Cmng.Simulator
{
    /// <content>The modem's command interpreter (runs under the state lock).</content>
    public sealed partial class VirtualModem
    {
        private const uint HighestUserTag = 2147483647;
        private const uint DecryptTagFirst = 2147483648;
        private const uint DecryptTagLast = 2147483667;
        private const int MaxPassphraseLength = 32;

        /// <summary>The modem's own entries, in the order the SDK's test data lists them (TV-4).</summary>
        private static readonly VirtualCredential[] s_modemOwned =
        {
            new VirtualCredential(4294967293, 10, "2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1", "2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1", 0, CredentialOrigin.ModemOwned),
            new VirtualCredential(4294967294, 6, "A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05", "A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05", 0, CredentialOrigin.ModemOwned),
            new VirtualCredential(4294967292, 11, "2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89", "2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89", 0, CredentialOrigin.ModemOwned),
        };

        private static readonly string[] s_randomUrcs =
        {
            "+CSCON: 0",
            "+CSCON: 1",
            "+CEREG: 1,\"76C1\",\"0102DA04\",7",
            "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\"",
            "%XSIM: 1",
            "%MDMEV: SEARCH STATUS 2",
            "+CGEV: ME PDN ACT 0",
        };

        private int _cfun;
        private int _cmee;
        private bool _uicc;
        private int _cereg;
        private int _cscon;
        private bool _xpofwarn;

        private void ResetPowerOnState()
        {
            _cfun = 0;
            _cmee = 0;
            _uicc = false;
            _cereg = 0;
            _cscon = 0;
            _xpofwarn = false;
        }

        private string RandomUrc()
        {
            lock (_gate)
            {
                return _random.Next(4) == 0 ? LogLine("<inf> lte_lc: Network connectivity changed") : s_randomUrcs[_random.Next(s_randomUrcs.Length)];
            }
        }

        /// <summary>A Zephyr log line stamped with the uptime, e.g. <c>[00:00:12.345,678] &lt;inf&gt; lte_lc: …</c>.</summary>
        private string LogLine(string text)
        {
            TimeSpan up = _uptime.Elapsed;
            long micros = up.Ticks / 10 % 1000;
            return string.Format(CultureInfo.InvariantCulture, "[{0:00}:{1:00}:{2:00}.{3:000},{4:000}] {5}",
                (int)up.TotalHours, up.Minutes, up.Seconds, up.Milliseconds, micros, text);
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
                    return Cmng(cmd, outcome);
                case "%XPMNG":
                    return Profile.SupportsPublicKeyManagement ? Xpmng(cmd, outcome) : Cme(0);
                case "%XSUDO":
                    return Xsudo(cmd);
                case "%KEYGEN":
                    return Profile.SupportsKeyGeneration ? Keygen(cmd, outcome) : Cme(0);
                case "%ATTESTTOKEN":
                    return Profile.SupportsAttestationToken ? AttestToken(cmd, outcome) : Cme(0);
                default:
                    return Result.Error();
            }
        }

        private Result Cme(int code) =>
            Result.Fail(_cmee == 0 ? "ERROR" : "+CME ERROR: " + code.ToString(CultureInfo.InvariantCulture));

        private static string Line(string text) => text + "\r\n";

        private static Result Identity(AtCommandPart cmd, string line) =>
            cmd.Form == AtForm.Action ? Result.Ok(Line(line)) : cmd.Form == AtForm.Test ? Result.Ok() : Result.Error();

        private Result Cfun(AtCommandPart cmd, Outcome outcome)
        {
            switch (cmd.Form)
            {
                case AtForm.Read:
                    return Result.Ok(Line("+CFUN: " + _cfun.ToString(CultureInfo.InvariantCulture)));
                case AtForm.Test:
                    return Result.Ok(Line("+CFUN: (" + string.Join(",", Profile.FunctionalModes.Select(m => m.ToString(CultureInfo.InvariantCulture))) + ")"));
                case AtForm.Set:
                    break;
                default:
                    return Result.Error();
            }

            if (cmd.Parameters.Count < 1 || cmd.Parameters.Count > 2 || !cmd.Parameters[0].TryInt(out int mode) || !Profile.FunctionalModes.Contains(mode))
            {
                return Cme(50);
            }

            bool wasActive = Profile.IsLteActive(_cfun);
            switch (mode)
            {
                case 0:
                case 1:
                case 2:
                case 4:
                    _cfun = mode;
                    break;
                case 20:
                case 44:
                    _cfun = _cfun == 0 ? 0 : 4;
                    break;
                case 21:
                    _cfun = 1;
                    break;
            }

            if (mode == 1 || mode == 2 || mode == 21 || mode == 41 || mode == 44)
            {
                _uicc = true;
            }
            else if (mode == 0 || mode == 4 || mode == 40)
            {
                _uicc = false;
            }

            _modeHistory.Add(mode);
            outcome.Modelled += _delays.FunctionalModeChange;
            bool active = Profile.IsLteActive(_cfun);
            if (_unsolicitedNoise && active != wasActive)
            {
                if (active)
                {
                    outcome.Before.Add(LogLine("<inf> lte_lc: Functional mode changed to " + mode.ToString(CultureInfo.InvariantCulture)));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(80), "+CEREG: 2,\"76C1\",\"0102DA04\",7"));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(150), "+CSCON: 1"));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(300), "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\""));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(320), LogLine("<inf> lte_lc: Network registration status: Connected - roaming")));
                }
                else
                {
                    // The shape of the real transcript between AT+CFUN=4 and its OK (spec §0).
                    outcome.Before.Add("+CSCON: 1");
                    outcome.Before.Add("+CEREG: 0");
                    outcome.Before.Add(LogLine("<inf> lte_lc: Network registration status: Not registered"));
                    outcome.Before.Add("+CSCON: 0");
                }
            }

            return Result.Ok();
        }

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

        private Result Cgsn(AtCommandPart cmd)
        {
            if (cmd.Form == AtForm.Action)
            {
                return Result.Ok(Line(Imei));
            }

            if (cmd.Form == AtForm.Test)
            {
                return Result.Ok(Line("+CGSN: (0-3)"));
            }

            if (cmd.Form != AtForm.Set || cmd.Parameters.Count != 1 || !cmd.Parameters[0].TryInt(out int snt) || snt > 3)
            {
                return Cme(50);
            }

            const string svn = "12";
            switch (snt)
            {
                case 0:
                    return Result.Ok(Line(Imei));
                case 1:
                    return Result.Ok(Line("+CGSN: \"" + Imei + "\""));
                case 2:
                    return Result.Ok(Line("+CGSN: \"" + Imei.Substring(0, 14) + svn + "\""));
                default:
                    return Result.Ok(Line("+CGSN: \"" + svn + "\""));
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

        private bool IsUserTag(uint tag) =>
            tag <= HighestUserTag || (Profile.AllowsTlsDecryptTags && tag >= DecryptTagFirst && tag <= DecryptTagLast);

        private static bool IsModemOwnedType(int type) => type == 6 || type == 7 || type == 10 || type == 11;

        private bool PowerOffWarningBlocks => Profile.SupportsPowerOffWarning && Faults.PowerOffWarning;

        private Result Cmng(AtCommandPart cmd, Outcome outcome)
        {
            if (cmd.Form != AtForm.Set)
            {
                return Result.Error();
            }

            IReadOnlyList<AtParameter> p = cmd.Parameters;
            if (p.Count < 1 || !p[0].TryInt(out int opcode))
            {
                return Cme(50);
            }

            switch (opcode)
            {
                case 0:
                    return CmngWrite(p, outcome);
                case 1:
                    return CmngList(p, outcome);
                case 2:
                    return CmngRead(p, outcome);
                case 3:
                    return CmngDelete(p, outcome);
                default:
                    return Cme(50);
            }
        }

        private bool TryTagType(IReadOnlyList<AtParameter> p, out uint tag, out int type)
        {
            type = -1;
            return p[1].TryUInt(out tag) && p[2].TryInt(out type) && type <= Profile.HighestCredentialType;
        }

        private Result CmngWrite(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
            if (p.Count < 4 || p.Count > 5 || !TryTagType(p, out uint tag, out int type) || !p[3].Quoted || p[3].Text.Length == 0)
            {
                return Cme(50);
            }

            if (p.Count == 5 && (p[4].Text.Length > MaxPassphraseLength || (p[4].IsEmpty && type == 2)))
            {
                return Cme(50);
            }

            if (!IsUserTag(tag) || IsModemOwnedType(type) || (type == 5 && !Profile.PublicKeyTypeWritableWithCmng))
            {
                return Cme(514);
            }

            if (Profile.IsLteActive(_cfun))
            {
                return Cme(518);
            }

            if (PowerOffWarningBlocks)
            {
                return Cme(528);
            }

            byte[] content = Latin1Bytes(p[3].Text);
            if (Profile.ValidatesCertificates && (type == 0 || type == 1) && !IsValidPemCertificate(p[3].Text))
            {
                return Cme(527);
            }

            if (!HasRoomFor(new CredentialKey(tag, type), content.Length))
            {
                return Cme(515);
            }

            _store[new CredentialKey(tag, type)] = new StoredCredential(content, null, CredentialOrigin.Written);
            outcome.Modelled += _delays.CredentialWrite + TimeSpan.FromTicks(_delays.CredentialWritePerByte.Ticks * content.Length);
            return Result.Ok();
        }

        private Result CmngList(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
            uint? tag = null;
            int? type = null;
            if (p.Count > 3)
            {
                return Cme(50);
            }

            if (p.Count >= 2)
            {
                if (!p[1].TryUInt(out uint t))
                {
                    return Cme(50);
                }

                tag = t;
            }

            if (p.Count == 3)
            {
                if (!p[2].TryInt(out int ty) || ty > Profile.HighestCredentialType)
                {
                    return Cme(50);
                }

                type = ty;
            }

            outcome.Modelled += _delays.CredentialRead;
            var info = new StringBuilder();
            foreach (VirtualCredential credential in ListCredentials(tag, type))
            {
                info.Append(credential.ToString()).Append("\r\n");
            }

            return Result.Ok(info.ToString());
        }

        private Result CmngRead(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
            if (p.Count != 3 || !TryTagType(p, out uint tag, out int type))
            {
                return Cme(50);
            }

            outcome.Modelled += _delays.CredentialRead;
            VirtualCredential? listed = ListCredentials(tag, type).FirstOrDefault();
            if (listed is null)
            {
                return Cme(513);
            }

            // Readable: CA certificates and PSK identities of the user's tags. Types 1, 2, 3 are
            // documented unreadable on v1.x (type 1 kept unreadable everywhere: conservative).
            if (listed.IsModemOwned || !IsUserTag(tag) || (type != 0 && type != 4))
            {
                return Cme(514);
            }

            byte[] content = _store[new CredentialKey(tag, type)].Content;
            return Result.Ok(listed.ToString() + ",\"" + Latin1String(content, 0, content.Length) + "\"\r\n");
        }

        private Result CmngDelete(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
            if (p.Count != 3 || !TryTagType(p, out uint tag, out int type))
            {
                return Cme(50);
            }

            if (!IsUserTag(tag) || IsModemOwnedType(type))
            {
                return Cme(514);
            }

            if (Profile.IsLteActive(_cfun))
            {
                return Cme(518);
            }

            if (PowerOffWarningBlocks)
            {
                return Cme(528);
            }

            if (!_store.Remove(new CredentialKey(tag, type)))
            {
                return Cme(513);
            }

            outcome.Modelled += _delays.CredentialDelete;
            return Result.Ok();
        }

        /// <summary>The list: user entries by tag then type, then the modem's own (SDK order), filtered.</summary>
        private VirtualCredential[] ListCredentials(uint? tag, int? type)
        {
            var result = new List<VirtualCredential>();
            foreach (KeyValuePair<CredentialKey, StoredCredential> entry in _store)
            {
                if ((tag is null || entry.Key.Tag == tag) && (type is null || entry.Key.Type == type))
                {
                    result.Add(new VirtualCredential(entry.Key.Tag, entry.Key.Type, ListedDigest(entry.Key.Type, entry.Value.Sha256),
                        entry.Value.Sha256, entry.Value.Content.Length, entry.Value.Origin));
                }
            }

            if (Profile.HasModemOwnedCredentials)
            {
                foreach (VirtualCredential owned in s_modemOwned)
                {
                    if ((tag is null || owned.SecTag == tag) && (type is null || owned.Type == type)
                        && !_store.ContainsKey(new CredentialKey(owned.SecTag, owned.Type)))
                    {
                        result.Add(owned);
                    }
                }
            }

            return result.ToArray();
        }

        private string ListedDigest(int type, string sha256) =>
            Profile.PlaceholderDigests
                ? string.Concat(Enumerable.Repeat(((byte)type).ToString("X2", CultureInfo.InvariantCulture), 32))
                : sha256;

        private bool HasRoomFor(CredentialKey key, int size)
        {
            int count = 0;
            long bytes = 0;
            foreach (KeyValuePair<CredentialKey, StoredCredential> entry in _store)
            {
                if (entry.Value.Origin == CredentialOrigin.Factory || entry.Key.Equals(key))
                {
                    continue;
                }

                count++;
                bytes += entry.Value.Content.Length;
            }

            return count + 1 <= _maxCredentials && bytes + size <= _storageBytes;
        }

        /// <summary>
        /// mfw_nrf91x1 2.0.2+ validation of type 0/1: every PEM block must be a certificate that
        /// parses. Line ends LF or CR LF are fine; bare CR line ends (a terminal pasting with CR) and
        /// a literal backslash-n are rejected, which is how the two 527 reports read (spec §1.4).
        /// </summary>
        internal static bool IsValidPemCertificate(string content)
        {
            for (int i = 0; i < content.Length; i++)
            {
                if (content[i] == '\r' && (i + 1 >= content.Length || content[i + 1] != '\n'))
                {
                    return false;
                }
            }

            if (content.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) < 0)
            {
                return false;
            }

            try
            {
                var parser = new X509CertificateParser();
                var certificates = parser.ReadCertificates(Latin1Bytes(content));
                if (certificates.Count == 0)
                {
                    return false;
                }

                int blocks = 0;
                int at = 0;
                while ((at = content.IndexOf("-----BEGIN ", at, StringComparison.Ordinal)) >= 0)
                {
                    blocks++;
                    at += 11;
                }

                return blocks == certificates.Count;
            }
            catch (Exception ex) when (ex is IOException || ex is Org.BouncyCastle.Security.Certificates.CertificateException || ex is ArgumentException || ex is FormatException || ex is InvalidOperationException || ex is Org.BouncyCastle.Asn1.Asn1Exception)
            {
                return false;
            }
        }

        private Result Xpmng(AtCommandPart cmd, Outcome outcome)
        {
            IReadOnlyList<AtParameter> p = cmd.Parameters;
            if (cmd.Form != AtForm.Set)
            {
                return Result.Error();
            }

            if (p.Count < 1 || !p[0].TryInt(out int opcode))
            {
                return Cme(50);
            }

            if (opcode == 0)
            {
                if (p.Count < 2 || p.Count > 3 || !p[1].Quoted || p[1].Text.Length == 0)
                {
                    return Cme(50);
                }

                uint slot = 0;
                if (p.Count == 3 && (!p[2].TryUInt(out slot) || slot > 9))
                {
                    return Cme(50);
                }

                if (Profile.IsLteActive(_cfun))
                {
                    return Cme(518);
                }

                if (PowerOffWarningBlocks)
                {
                    return Cme(528);
                }

                var key = new CredentialKey(slot, 5);
                if (_store.ContainsKey(key))
                {
                    return Cme(519);
                }

                byte[] content = Latin1Bytes(p[1].Text);
                if (!HasRoomFor(key, content.Length))
                {
                    return Cme(515);
                }

                _store[key] = new StoredCredential(content, null, CredentialOrigin.Written);
                outcome.Modelled += _delays.CredentialWrite + TimeSpan.FromTicks(_delays.CredentialWritePerByte.Ticks * content.Length);
                return Result.Ok();
            }

            if (opcode == 2)
            {
                uint slot = 0;
                if (p.Count > 2 || (p.Count == 2 && (!p[1].TryUInt(out slot) || slot > 9)))
                {
                    return Cme(50);
                }

                outcome.Modelled += _delays.CredentialRead;
                if (!_store.TryGetValue(new CredentialKey(slot, 5), out StoredCredential? stored))
                {
                    return Cme(513);
                }

                return Result.Ok("%XPMNG: \"" + Latin1String(stored.Content, 0, stored.Content.Length) + "\"\r\n");
            }

            return Cme(50);
        }

        /// <summary>Not modelled: no public key → 513, otherwise the signature is taken as wrong (520).</summary>
        private Result Xsudo(AtCommandPart cmd)
        {
            if (!Profile.SupportsPublicKeyManagement)
            {
                return Cme(0);
            }

            if (cmd.Form != AtForm.Set || cmd.Parameters.Count < 2)
            {
                return Cme(50);
            }

            uint slot = 0;
            if (cmd.Parameters.Count >= 3 && !cmd.Parameters[2].TryUInt(out slot))
            {
                return Cme(50);
            }

            return _store.ContainsKey(new CredentialKey(slot, 5)) ? Cme(520) : Cme(513);
        }

        private Result Keygen(AtCommandPart cmd, Outcome outcome)
        {
            IReadOnlyList<AtParameter> p = cmd.Parameters;
            if (cmd.Form != AtForm.Set)
            {
                return Result.Error();
            }

            if (p.Count < 2 || p.Count > 5 || !p[0].TryUInt(out uint tag) || !p[1].TryInt(out int keyType) || (keyType != 2 && keyType != 8))
            {
                return Cme(50);
            }

            int responseContent = 0;
            if (p.Count >= 3 && !p[2].IsEmpty && (!p[2].TryInt(out responseContent) || responseContent > 1))
            {
                return Cme(50);
            }

            X509Name subject = ModemCrypto.DefaultSubject(DeviceUuid);
            if (p.Count >= 4 && p[3].Text.Length > 0)
            {
                X509Name? parsed = p[3].Quoted ? ModemCrypto.ParseSubject(p[3].Text) : null;
                if (parsed is null)
                {
                    return Cme(50);
                }

                subject = parsed;
            }

            int keyUsage = ModemCrypto.DefaultKeyUsage;
            if (p.Count == 5)
            {
                int? bits = ParseKeyUsage(p[4]);
                if (bits is null)
                {
                    return Cme(50);
                }

                keyUsage = bits.Value;
            }

            if (!IsUserTag(tag))
            {
                return Cme(514);
            }

            if (Profile.IsLteActive(_cfun))
            {
                return Cme(518);
            }

            if (PowerOffWarningBlocks)
            {
                return Cme(528);
            }

            var storeKey = new CredentialKey(tag, keyType);
            ECPrivateKeyParameters privateKey;
            ECPublicKeyParameters publicKey;
            if (keyType == 8 && _store.TryGetValue(storeKey, out StoredCredential? existing) && TryLoadPrivateKey(existing.Content, out privateKey!, out publicKey!))
            {
                // An endorsement key is reused, not regenerated.
            }
            else
            {
                AsymmetricCipherKeyPair pair = ModemCrypto.GenerateP256(_secureRandom);
                privateKey = (ECPrivateKeyParameters)pair.Private;
                publicKey = (ECPublicKeyParameters)pair.Public;
                byte[] pkcs8 = ModemCrypto.Pkcs8Der(privateKey);
                byte[] pem = Latin1Bytes(ModemCrypto.Pem("PRIVATE KEY", pkcs8));
                if (!HasRoomFor(storeKey, pem.Length))
                {
                    return Cme(515);
                }

                _store[storeKey] = new StoredCredential(pem, ModemCrypto.Hex(ModemCrypto.Sha256(pkcs8)), CredentialOrigin.Generated);
            }

            byte[] spki = ModemCrypto.SubjectPublicKeyInfoDer(publicKey);
            byte[] first = responseContent == 0
                ? ModemCrypto.BuildCsr(
                    ModemCrypto.BuildCsrInfo(subject, SubjectPublicKeyInfo.GetInstance(spki), keyUsage),
                    privateKey,
                    Profile.CsrSignatureHasNullParameters)
                : spki;
            var nonce = new byte[16];
            _random.NextBytes(nonce);
            byte[] payload = ModemCrypto.KeygenPayload(
                responseContent == 0 ? ModemCrypto.PayloadIdCsr : ModemCrypto.PayloadIdPublicKey,
                ModemCrypto.RfcBytes(DeviceUuid), tag, ModemCrypto.Sha256(first), nonce);
            byte[] cose = ModemCrypto.SignCose((ECPrivateKeyParameters)_identity.Private, payload, embedPayload: true);
            outcome.Modelled += _delays.KeyGeneration;
            return Result.Ok("%KEYGEN: \"" + ModemCrypto.Base64Url(first) + "." + ModemCrypto.Base64Url(cose) + "\"\r\n");
        }

        /// <summary>Nine 0/1 flags in X.509 keyUsage bit order; decipherOnly (the ninth) must be 0.</summary>
        private static int? ParseKeyUsage(AtParameter parameter)
        {
            string flags = parameter.Text;
            if (!parameter.Quoted || flags.Length != 9 || flags.Any(c => c != '0' && c != '1') || flags[8] != '0')
            {
                return null;
            }

            int[] bits =
            {
                KeyUsage.DigitalSignature, KeyUsage.NonRepudiation, KeyUsage.KeyEncipherment, KeyUsage.DataEncipherment,
                KeyUsage.KeyAgreement, KeyUsage.KeyCertSign, KeyUsage.CrlSign, KeyUsage.EncipherOnly,
            };
            int result = 0;
            for (int i = 0; i < bits.Length; i++)
            {
                if (flags[i] == '1')
                {
                    result |= bits[i];
                }
            }

            return result == 0 ? (int?)null : result;
        }

        private static bool TryLoadPrivateKey(byte[] pem, out ECPrivateKeyParameters? privateKey, out ECPublicKeyParameters? publicKey)
        {
            privateKey = null;
            publicKey = null;
            try
            {
                using (var reader = new StringReader(Latin1String(pem, 0, pem.Length)))
                {
                    object read = new Org.BouncyCastle.OpenSsl.PemReader(reader).ReadObject();
                    privateKey = read as ECPrivateKeyParameters ?? (read as AsymmetricCipherKeyPair)?.Private as ECPrivateKeyParameters;
                }

                if (privateKey is null)
                {
                    return false;
                }

                var q = privateKey.Parameters.G.Multiply(privateKey.D).Normalize();
                publicKey = new ECPublicKeyParameters("EC", q, privateKey.PublicKeyParamSet);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        private Result AttestToken(AtCommandPart cmd, Outcome outcome)
        {
            var nonce = new byte[16];
            if (cmd.Form == AtForm.Action)
            {
                _random.NextBytes(nonce);
            }
            else if (cmd.Form == AtForm.Set && cmd.Parameters.Count == 1 && cmd.Parameters[0].Text.Length == 32
                && cmd.Parameters[0].Text.All(Uri.IsHexDigit))
            {
                string hex = cmd.Parameters[0].Text;
                for (int i = 0; i < 16; i++)
                {
                    nonce[i] = byte.Parse(hex.Substring(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }
            else
            {
                return cmd.Form == AtForm.Set ? Cme(50) : Result.Error();
            }

            byte[] body = ModemCrypto.AttestationBody(ModemCrypto.RfcBytes(DeviceUuid), Profile.AttestationDeviceType,
                ModemCrypto.RfcBytes(Profile.FirmwareUuid), nonce);
            byte[] cose = ModemCrypto.SignCose((ECPrivateKeyParameters)_identity.Private, body, embedPayload: false);
            outcome.Modelled += _delays.AttestationToken;
            return Result.Ok("%ATTESTTOKEN: \"" + ModemCrypto.Base64Url(body) + "." + ModemCrypto.Base64Url(cose) + "\"\r\n");
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
