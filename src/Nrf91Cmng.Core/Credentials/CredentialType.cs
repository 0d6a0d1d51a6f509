namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// The <c>&lt;type&gt;</c> of <c>AT%CMNG</c>: what a (sec_tag, type) slot holds. Numbers are the
    /// modem's; 0-4 are written by users, the rest belong to or are created by the modem. The names,
    /// descriptions and rules of each are in <see cref="CredentialRules"/>; the public
    /// <c>Nrf91Cmng.CredentialType</c> that scripts name documents each member and mirrors this one
    /// (the module maps the two in one place).
    /// </summary>
    public enum CredentialType
    {
        RootCA = 0,
        ClientCertificate = 1,
        ClientPrivateKey = 2,
        Psk = 3,
        PskIdentity = 4,
        PublicKey = 5,
        DeviceIdentityPublicKey = 6,
        Reserved7 = 7,
        EndorsementKey = 8,
        OwnershipKey = 9,
        NordicIdentityRootCA = 10,
        NordicBasePublicKey = 11,
    }
}
