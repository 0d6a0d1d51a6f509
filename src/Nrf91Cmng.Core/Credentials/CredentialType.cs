namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// The <c>&lt;type&gt;</c> of <c>AT%CMNG</c>: what a (sec_tag, type) slot holds. Numbers are the
    /// modem's; 0-4 are written by users, the rest belong to or are created by the modem
    /// (see <see cref="CredentialRules"/>).
    /// </summary>
    public enum CredentialType
    {
        /// <summary>0: root CA certificate (PEM), used to verify the server. Readable.</summary>
        RootCA = 0,

        /// <summary>1: client certificate (PEM).</summary>
        ClientCertificate = 1,

        /// <summary>2: client private key (PEM). Secret; never readable.</summary>
        ClientPrivateKey = 2,

        /// <summary>3: pre-shared key (hex). Secret; never readable.</summary>
        Psk = 3,

        /// <summary>4: PSK identity (plain text). Readable.</summary>
        PskIdentity = 4,

        /// <summary>5: public key for authenticated AT commands (PEM), written with <c>AT%XPMNG</c>.</summary>
        PublicKey = 5,

        /// <summary>6: device identity public key (mfw 1.3+; reserved before). Modem-owned.</summary>
        DeviceIdentityPublicKey = 6,

        /// <summary>7: reserved. Modem-owned.</summary>
        Reserved7 = 7,

        /// <summary>8: endorsement private key, created by <c>AT%KEYGEN</c> key_type 8 (mfw 1.3+).</summary>
        EndorsementKey = 8,

        /// <summary>9: ownership key, used by <c>AT%CLAIMTOKEN</c> (mfw 1.3+).</summary>
        OwnershipKey = 9,

        /// <summary>10: Nordic identity root CA (mfw 1.3+). Modem-owned.</summary>
        NordicIdentityRootCA = 10,

        /// <summary>11: Nordic base public key (mfw 1.3+). Modem-owned.</summary>
        NordicBasePublicKey = 11,
    }
}
