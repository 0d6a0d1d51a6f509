namespace Nrf91Cmng
{
    /// <summary>The <c>AT%CMNG</c> credential types.</summary>
    public enum CredentialType
    {
        /// <summary>0: root CA certificate (PEM; a chain is allowed).</summary>
        RootCA = 0,

        /// <summary>1: client certificate (PEM).</summary>
        ClientCertificate = 1,

        /// <summary>2: client private key (PEM; never readable).</summary>
        ClientPrivateKey = 2,

        /// <summary>3: pre-shared key (hex; never readable).</summary>
        Psk = 3,

        /// <summary>4: PSK identity (printable ASCII).</summary>
        PskIdentity = 4,

        /// <summary>5: public key for authenticated AT commands (written with %XPMNG).</summary>
        PublicKey = 5,

        /// <summary>6: device identity public key (modem-owned).</summary>
        DeviceIdentityPublicKey = 6,

        /// <summary>7: reserved.</summary>
        Reserved7 = 7,

        /// <summary>8: endorsement private key (created by %KEYGEN).</summary>
        EndorsementKey = 8,

        /// <summary>9: ownership key (used by %CLAIMTOKEN).</summary>
        OwnershipKey = 9,

        /// <summary>10: Nordic identity root CA (modem-owned).</summary>
        NordicIdentityRootCA = 10,

        /// <summary>11: Nordic base public key (modem-owned).</summary>
        NordicBasePublicKey = 11,
    }

    /// <summary>
    /// The one mapping between the public <see cref="CredentialType"/> users name in scripts (it
    /// lives in this assembly so PowerShell can resolve it) and the engine's, which has the same
    /// names and numbers.
    /// </summary>
    internal static class CredentialTypeMap
    {
        /// <summary>The engine's type.</summary>
        public static Core.Credentials.CredentialType ToCore(this CredentialType type) => (Core.Credentials.CredentialType)(int)type;

        /// <summary>The public type.</summary>
        public static CredentialType ToPublic(this Core.Credentials.CredentialType type) => (CredentialType)(int)type;
    }
}
