namespace Nrf91Cmng.Core.Credentials
{
    public static partial class CredentialValidator
    {
        /// <summary>
        /// One warning per sec_tag whose client certificate and private key (both among
        /// <paramref name="items"/>) do not belong together: TLS handshakes with them would fail.
        /// </summary>
        public static IEnumerable<string> KeyCertificateMismatches(IEnumerable<(uint SecTag, CredentialType Type, CredentialValidationResult Validation)> items)
        {
            foreach (IGrouping<uint, (uint SecTag, CredentialType Type, CredentialValidationResult Validation)> tag in items.GroupBy(i => i.SecTag))
            {
                PublicKeyInfo? certificateKey = tag.FirstOrDefault(p => p.Type == CredentialType.ClientCertificate).Validation?.PublicKey;
                PublicKeyInfo? privateKey = tag.FirstOrDefault(p => p.Type == CredentialType.ClientPrivateKey).Validation?.PublicKey;
                if (certificateKey is not null && privateKey is not null && !certificateKey.Matches(privateKey))
                {
                    yield return "The client certificate and the private key written to sec_tag " + tag.Key.ToString(CultureInfo.InvariantCulture)
                        + " do not belong together (the certificate's public key " + certificateKey.Fingerprint.Substring(0, 16)
                        + "... differs from the key's " + privateKey.Fingerprint.Substring(0, 16) + "...); TLS handshakes with them will fail.";
                }
            }
        }
    }
}
