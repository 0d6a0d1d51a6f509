using System.IO;
using Org.BouncyCastle.X509;

namespace Nrf91Cmng.Simulator
{
    /// <content><c>%CMNG</c>: write, list, read and delete credentials, and the 91x1 certificate check (527).</content>
    public sealed partial class VirtualModem
    {
        private const int MaxPassphraseLength = 32;

        private Result Cmng(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
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

            byte[] content = BridgeContent(Latin1Bytes(p[3].Text), outcome);
            if (Profile.ValidatesCertificates && (type == 0 || type == 1) && !IsValidPemCertificate(Latin1String(content, 0, content.Length)))
            {
                return Cme(527);
            }

            if (!HasRoomFor(new CredentialKey(tag, type), content.Length))
            {
                return Cme(515);
            }

            content = CorruptStoredContent(content, outcome);
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
    }
}
