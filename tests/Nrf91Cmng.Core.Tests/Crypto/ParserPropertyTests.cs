using System.Reflection;
using CsCheck;
using Xunit.Abstractions;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    /// <summary>
    /// Property tests: random and mutated input into every parser yields a result or a
    /// <see cref="ModemException"/> with a published error id, never another exception and never
    /// a hang. Each test prints how many cases ran and how they ended.
    /// </summary>
    public class ParserPropertyTests
    {
        private static readonly TimeSpan s_slowCase = TimeSpan.FromSeconds(5);
        private static readonly HashSet<string> s_ids = typeof(ErrorIds)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

        private static readonly string[] s_pemFragments =
        {
            "-----BEGIN ", "-----END ", "-----", "CERTIFICATE", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY",
            "PUBLIC KEY", "CERTIFICATE REQUEST", "EC PARAMETERS", "Proc-Type: 4,ENCRYPTED", "\n", "\r\n", "\r", " ", "\"", "=", "==", "MIIB",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", "AAAA", "////", "é", "\u2014", "\0",
        };

        private readonly ITestOutputHelper _output;

        public ParserPropertyTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private static readonly Gen<(int Kind, int Position, byte Value)> s_mutation =
            Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Byte, (k, p, v) => (k, p, v));

        private static byte[] Mutate(byte[] input, (int Kind, int Position, byte Value)[] mutations)
        {
            var bytes = new List<byte>(input);
            foreach ((int kind, int position, byte value) in mutations)
            {
                int at = bytes.Count == 0 ? 0 : position % bytes.Count;
                switch (kind)
                {
                    case 0 when bytes.Count > 0:
                        bytes[at] = value;
                        break;
                    case 1 when bytes.Count > 0:
                        bytes[at] ^= (byte)(1 << (value % 8));
                        break;
                    case 2 when bytes.Count > 0:
                        bytes.RemoveAt(at);
                        break;
                    case 3:
                        bytes.Insert(at, value);
                        break;
                    case 4:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                    case 5 when bytes.Count > 0:
                        int length = Math.Min(1 + (value % 32), bytes.Count - at);
                        bytes.InsertRange(at, bytes.GetRange(at, length));
                        break;
                }
            }

            return bytes.ToArray();
        }

        private static string MutateText(string text, (int Kind, int Position, byte Value)[] mutations) =>
            Encoding.Latin1.GetString(Mutate(Encoding.Latin1.GetBytes(text), mutations));

        private sealed class Tally
        {
            private long _cases;
            private long _parsed;
            private long _typed;

            public long Cases => Interlocked.Read(ref _cases);

            public void Run(Action parse)
            {
                Interlocked.Increment(ref _cases);
                var watch = Stopwatch.StartNew();
                try
                {
                    parse();
                    Interlocked.Increment(ref _parsed);
                }
                catch (ModemException e)
                {
                    Assert.Contains(e.ErrorId, s_ids);
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    Interlocked.Increment(ref _typed);
                }

                Assert.True(watch.Elapsed < s_slowCase, "a case took " + watch.Elapsed);
            }

            public string Report(string name) =>
                name + ": " + Cases + " cases, " + Interlocked.Read(ref _parsed) + " parsed, " + Interlocked.Read(ref _typed) + " typed errors, 0 other exceptions";
        }

        private void Sample<T>(string name, Gen<T> gen, int iterations, Action<T, Tally> body)
        {
            var tally = new Tally();
            // Random seed per run; on failure CsCheck prints the seed and the shrunk case to replay.
            gen.Sample(value => body(value, tally), iter: iterations, threads: 1);
            _output.WriteLine(tally.Report(name));
            Assert.True(tally.Cases >= iterations);
        }

        private static void Keygen(string text, Tally tally) => tally.Run(() =>
        {
            KeygenResponse r = KeygenResponse.Parse(text);
            _ = r.DigestValid;
            _ = r.Pem;
            _ = r.VerifySignature(r.PublicKey.Algorithm == "EC" && r.PublicKey.Curve == "P-256" ? r.PublicKey : s_deviceKey.Value);
        });

        private static readonly Lazy<PublicKeyInfo> s_deviceKey = new Lazy<PublicKeyInfo>(() => PublicKeyInfo.FromDer(TestPki.SpkiDer(TestPki.NewEcKey().Public)));

        private static void Attestation(string text, Tally tally) => tally.Run(() =>
        {
            AttestationToken t = AttestationToken.Parse(text);
            _ = t.DeviceTypeName;
            _ = t.Cose.Algorithm is -7 && t.VerifySignature(s_deviceKey.Value);
        });

        private static readonly string[] s_keygenVectors = { Vectors.Tv2Keygen, Vectors.Tv6Keygen, Vectors.Tv6KeygenWithSubject };

        [Fact]
        public void Random_text_into_keygen_and_attestation_parsers()
        {
            Sample("random text -> KEYGEN, ATTESTTOKEN", Gen.String, 20000, (s, t) =>
            {
                Keygen(s, t);
                Attestation(s, t);
            });
        }

        [Fact]
        public void Random_bytes_as_base64url_parts_into_keygen_and_attestation_parsers()
        {
            Sample("random base64url A.B -> KEYGEN, ATTESTTOKEN", Gen.Select(Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 300], (a, b) => (a, b)), 20000, (v, t) =>
            {
                string text = CoseTestBuilder.Base64Url(v.a) + "." + CoseTestBuilder.Base64Url(v.b);
                Keygen(text, t);
                Attestation(text, t);
            });
        }

        [Fact]
        public void Mutated_keygen_vectors_as_text()
        {
            Sample("mutated KEYGEN text", Gen.Select(Gen.Int[0, 2], s_mutation.Array[1, 4], (i, m) => (i, m)), 10000, (v, t) =>
                Keygen(MutateText(s_keygenVectors[v.i], v.m), t));
        }

        [Fact]
        public void Mutated_keygen_vectors_as_bytes()
        {
            // Mutate the decoded DER or COSE and re-encode, so the mutations reach the ASN.1 and CBOR parsers.
            Sample("mutated KEYGEN DER/COSE bytes", Gen.Select(Gen.Int[0, 2], Gen.Bool, s_mutation.Array[1, 4], (i, cose, m) => (i, cose, m)), 10000, (v, t) =>
            {
                string[] parts = Vectors.Payload(s_keygenVectors[v.i]).Split('.');
                byte[] a = Convert.FromBase64String(ToBase64(parts[0]));
                byte[] b = Convert.FromBase64String(ToBase64(parts[1]));
                if (v.cose)
                {
                    b = Mutate(b, v.m);
                }
                else
                {
                    a = Mutate(a, v.m);
                }

                Keygen(CoseTestBuilder.Base64Url(a) + "." + CoseTestBuilder.Base64Url(b), t);
            });
        }

        [Fact]
        public void Mutated_attestation_token()
        {
            string[] parts = Vectors.Payload(Vectors.Tv6AttestationToken).Split('.');
            byte[] body = Convert.FromBase64String(ToBase64(parts[0]));
            byte[] cose = Convert.FromBase64String(ToBase64(parts[1]));
            Sample("mutated ATTESTTOKEN text and bytes", Gen.Select(Gen.Int[0, 2], s_mutation.Array[1, 4], (k, m) => (k, m)), 10000, (v, t) =>
            {
                string text = v.k switch
                {
                    0 => MutateText(Vectors.Tv6AttestationToken, v.m),
                    1 => CoseTestBuilder.Base64Url(Mutate(body, v.m)) + "." + parts[1],
                    _ => parts[0] + "." + CoseTestBuilder.Base64Url(Mutate(cose, v.m)),
                };
                Attestation(text, t);
            });
        }

        [Fact]
        public void Random_and_mutated_der_into_csr_certificate_and_public_key_parsers()
        {
            byte[][] real =
            {
                KeygenResponse.Parse(Vectors.Tv2Keygen).GetDer(),
                KeygenResponse.Parse(Vectors.Tv6KeygenWithSubject).GetDer(),
                CertificateInfo.FromPem(Vectors.AmazonRootCa1).GetDer(),
                CertificateInfo.FromPem(Vectors.Tv2ClientCertificate).GetDer(),
                KeygenResponse.Parse(Vectors.Tv2Keygen).PublicKey.GetDer(),
            };
            Gen<byte[]> gen = Gen.Frequency(
                (1, Gen.Byte.Array[0, 400]),
                (3, Gen.Select(Gen.Int[0, real.Length - 1], s_mutation.Array[1, 4], (i, m) => Mutate(real[i], m))));
            Sample("random/mutated DER -> CSR, certificate, public key, validator", gen, 10000, (der, t) =>
            {
                t.Run(() => CertificateRequestInfo.FromDer(der));
                t.Run(() => CertificateInfo.FromDer(der));
                t.Run(() => PublicKeyInfo.FromDer(der));
                t.Run(() => CredentialValidator.Validate(CredentialType.RootCA, der));
            });
        }

        [Fact]
        public void Random_pem_like_text_into_pem_parsers_and_the_validator()
        {
            Gen<string> gen = Gen.Frequency(
                (2, Gen.OneOf(s_pemFragments).Array[0, 30].Select(parts => string.Concat(parts))),
                (1, Gen.Char["-BEGINENDCRTFICAPVYK \n\r=+/0123456789abcdefMIB\""].Array[0, 200].Select(c => new string(c))),
                (1, Gen.String));
            Sample("random PEM-like text -> PEM parsers, validator", gen, 10000, (text, t) => RunPemParsers(text, t));
        }

        [Fact]
        public void Mutated_real_pem_into_pem_parsers_and_the_validator()
        {
            var key = TestPki.NewEcKey();
            string[] real =
            {
                Vectors.AmazonRootCa1,
                Vectors.Tv2ClientCertificate + Vectors.AmazonRootCa1,
                TestPki.TraditionalPem(key.Private),
                TestPki.Pkcs8Pem(key.Private),
                TestPki.EncryptedPkcs8Pem(key.Private, "pw"),
                TestPki.PublicKeyPem(key.Public),
                KeygenResponse.Parse(Vectors.Tv2Keygen).Pem,
            };
            Sample("mutated real PEM -> PEM parsers, validator", Gen.Select(Gen.Int[0, real.Length - 1], s_mutation.Array[1, 4], (i, m) => MutateText(real[i], m)), 5000,
                (text, t) => RunPemParsers(text, t));
        }

        [Fact]
        public void Random_text_into_digest_variants()
        {
            Gen<string> digest = Gen.Frequency(
                (1, Gen.Char["0123456789abcdefABCDEF"].Array[64, 64].Select(c => new string(c))),
                (1, Gen.Char["0123456789abcdefABCDEF\" g"].Array[0, 70].Select(c => new string(c))));
            Sample("random text -> digest variants", Gen.Select(Gen.String, digest, (text, d) => (text, d)), 5000, (v, t) =>
                t.Run(() => CredentialContent.DigestVariants(v.text, v.d)));
        }

        private static void RunPemParsers(string text, Tally t)
        {
            t.Run(() => CertificateInfo.ChainFromPem(text));
            t.Run(() => PrivateKeyDetails.FromPem(text, "pw"));
            t.Run(() => PublicKeyInfo.FromPem(text));
            t.Run(() => CertificateRequestInfo.FromPem(text));
            for (int type = 0; type <= 5; type++)
            {
                int captured = type;
                t.Run(() => CredentialValidator.Validate((CredentialType)captured, text, captured == 2 ? "pw" : null));
            }
        }

        private static string ToBase64(string base64Url)
        {
            string s = base64Url.Replace('-', '+').Replace('_', '/');
            return s + new string('=', (4 - (s.Length % 4)) % 4);
        }
    }
}
