using Org.BouncyCastle.Crypto.Parameters;

namespace Nrf91Cmng.Simulator
{
    /// <content>Identity and attestation: IMEI, device UUID, <c>+CGSN</c>, <c>+CGMR</c> and friends, <c>%ATTESTTOKEN</c>.</content>
    public sealed partial class VirtualModem
    {
        private static string Digits(Random random, int count)
        {
            var text = new StringBuilder(count);
            for (int i = 0; i < count; i++)
            {
                text.Append((char)('0' + random.Next(10)));
            }

            return text.ToString();
        }

        /// <summary>TAC + 6 random digits + Luhn check digit.</summary>
        private static string GenerateImei(string tac, Random random)
        {
            string body = tac + Digits(random, 14 - tac.Length);
            return body + LuhnDigit(body).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The Luhn check digit of the 14 IMEI digits.</summary>
        internal static int LuhnDigit(string digits)
        {
            int sum = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                int d = digits[digits.Length - 1 - i] - '0';
                if (i % 2 == 0)
                {
                    d *= 2;
                    if (d > 9)
                    {
                        d -= 9;
                    }
                }

                sum += d;
            }

            return (10 - (sum % 10)) % 10;
        }

        /// <summary>Real device UUIDs start with "P6" and a few ASCII letters and digits, then version 4 and variant bits.</summary>
        private static Guid GenerateDeviceUuid(Random random)
        {
            const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            var b = new byte[16];
            random.NextBytes(b);
            b[0] = (byte)'P';
            b[1] = (byte)'6';
            for (int i = 2; i < 6; i++)
            {
                b[i] = (byte)alphabet[random.Next(alphabet.Length)];
            }

            return ModemCrypto.Version4Uuid(b);
        }

        private static Result Identity(AtCommandPart cmd, string line) =>
            cmd.Form == AtForm.Action ? Result.Ok(Line(line)) : cmd.Form == AtForm.Test ? Result.Ok() : Result.Error();

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
    }
}
