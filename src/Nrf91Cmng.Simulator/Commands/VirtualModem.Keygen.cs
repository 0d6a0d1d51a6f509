using System.IO;
using Nrf91Cmng.Core.Credentials;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Nrf91Cmng.Simulator
{
    /// <content><c>%KEYGEN</c>: key pairs generated in the modem, their CSR or public key, signed in a COSE_Sign1.</content>
    public sealed partial class VirtualModem
    {
        private Result Keygen(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
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

                _store[storeKey] = new StoredCredential(pem, CredentialContent.ComputeDigest(pkcs8), CredentialOrigin.Generated);
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
    }
}
