namespace Nrf91Cmng.Core.Tests.Credentials
{
    public class CredentialRulesTests
    {
        [Theory]
        [InlineData(CredentialType.RootCA, 0, "root CA certificate")]
        [InlineData(CredentialType.ClientCertificate, 1, "client certificate")]
        [InlineData(CredentialType.ClientPrivateKey, 2, "client private key")]
        [InlineData(CredentialType.Psk, 3, "PSK")]
        [InlineData(CredentialType.PskIdentity, 4, "PSK identity")]
        [InlineData(CredentialType.PublicKey, 5, "public key")]
        [InlineData(CredentialType.DeviceIdentityPublicKey, 6, "device identity public key")]
        [InlineData(CredentialType.Reserved7, 7, "reserved type 7")]
        [InlineData(CredentialType.EndorsementKey, 8, "endorsement key")]
        [InlineData(CredentialType.OwnershipKey, 9, "ownership key")]
        [InlineData(CredentialType.NordicIdentityRootCA, 10, "Nordic identity root CA")]
        [InlineData(CredentialType.NordicBasePublicKey, 11, "Nordic base public key")]
        public void Types_have_the_modem_numbers_and_a_description(CredentialType type, int number, string description)
        {
            Assert.Equal(number, (int)type);
            Assert.Equal(description, CredentialRules.Describe(type));
            Assert.Equal(number, CredentialRules.Get(type).Number);
            Assert.True(CredentialRules.Get(type).IsKnown);
        }

        [Fact]
        public void Unknown_type_numbers_are_described_and_allow_nothing()
        {
            CredentialTypeRule rule = CredentialRules.Get(CredentialRules.FromNumber(12));
            Assert.False(rule.IsKnown);
            Assert.Equal("type 12 (no public definition)", rule.Description);
            Assert.False(rule.IsUserWritable);
            Assert.False(rule.IsReadable);
            Assert.True(rule.IsSecret);
            Assert.Equal(12, CredentialRules.All.Count == 12 ? 12 : -1);
        }

        [Fact]
        public void Write_read_secret_and_ownership_flags_follow_the_spec()
        {
            int[] writable = { 0, 1, 2, 3, 4 };
            int[] readable = { 0, 4 };
            int[] modemOwned = { 6, 7, 10, 11 };
            int[] created = { 8, 9 };
            for (int n = 0; n <= 11; n++)
            {
                var type = (CredentialType)n;
                Assert.Equal(Array.IndexOf(writable, n) >= 0, CredentialRules.IsUserWritable(type));
                Assert.Equal(Array.IndexOf(readable, n) >= 0, CredentialRules.IsReadable(type));
                Assert.Equal(Array.IndexOf(modemOwned, n) >= 0, CredentialRules.IsModemOwned(type));
                Assert.Equal(Array.IndexOf(created, n) >= 0, CredentialRules.IsCreatedByModem(type));
                Assert.Equal(n == 5, CredentialRules.IsWritableThroughXpmng(type));
                Assert.Equal(n <= 5, CredentialRules.Get(type).IsUserDeletable);
            }

            Assert.True(CredentialRules.IsSecret(CredentialType.ClientPrivateKey));
            Assert.True(CredentialRules.IsSecret(CredentialType.Psk));
            Assert.False(CredentialRules.IsSecret(CredentialType.RootCA));
            Assert.False(CredentialRules.IsSecret(CredentialType.PskIdentity));
            Assert.False(CredentialRules.IsSecret(CredentialType.ClientCertificate));
        }

        [Theory]
        [InlineData(0L, true, false, false)]
        [InlineData(42L, true, false, false)]
        [InlineData(2147483647L, true, false, false)]
        [InlineData(2147483648L, false, true, true)]
        [InlineData(2147483667L, false, true, true)]
        [InlineData(2147483668L, false, true, false)]
        [InlineData(4294967294L, false, true, false)]
        [InlineData(4294967295L, false, true, false)]
        public void Sec_tag_ranges(long tag, bool user, bool modemOwned, bool decrypt)
        {
            Assert.Equal(user, CredentialRules.IsUserSecTag(tag));
            Assert.Equal(modemOwned, CredentialRules.IsModemOwnedSecTag(tag));
            Assert.Equal(decrypt, CredentialRules.IsTlsDecryptSecTag(tag));
            Assert.Equal(user, CredentialRules.IsSecTagWritable(tag, isNrf91x1: false));
            Assert.Equal(user || decrypt, CredentialRules.IsSecTagWritable(tag, isNrf91x1: true));
            Assert.True(CredentialRules.IsValidSecTag(tag));
        }

        [Fact]
        public void User_types_are_writable_at_user_tags()
        {
            for (int n = 0; n <= 4; n++)
            {
                CredentialRules.EnsureWritable(0, (CredentialType)n);
                CredentialRules.EnsureWritable(2147483647, (CredentialType)n);
            }

            CredentialRules.EnsureWritable(2147483650, CredentialType.RootCA, isNrf91x1: true);
            CredentialRules.EnsureWritable(9, CredentialType.PublicKey, viaXpmng: true);
        }

        [Theory]
        [InlineData(2147483650L, false, ErrorIds.CredentialSecTagModemOwned)]
        [InlineData(2147483700L, true, ErrorIds.CredentialSecTagModemOwned)]
        [InlineData(4294967293L, true, ErrorIds.CredentialSecTagModemOwned)]
        [InlineData(-1L, false, ErrorIds.CredentialSecTagOutOfRange)]
        [InlineData(4294967296L, false, ErrorIds.CredentialSecTagOutOfRange)]
        public void Refuses_writes_outside_user_tags(long tag, bool is91x1, string id)
        {
            var e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(tag, CredentialType.RootCA, is91x1));
            Assert.Equal(id, e.ErrorId);
            Assert.Equal(ModemErrorCategory.InvalidArgument, e.Category);
            Assert.False(string.IsNullOrEmpty(e.Remedy));
        }

        [Fact]
        public void Decrypt_tags_explain_the_91x1_rule()
        {
            var e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(2147483648, CredentialType.ClientCertificate, isNrf91x1: false));
            Assert.Contains("TLS-decrypt", e.Message);
        }

        [Theory]
        [InlineData(CredentialType.DeviceIdentityPublicKey, "belongs to the modem")]
        [InlineData(CredentialType.Reserved7, "belongs to the modem")]
        [InlineData(CredentialType.EndorsementKey, "created by the modem")]
        [InlineData(CredentialType.OwnershipKey, "created by the modem")]
        [InlineData(CredentialType.NordicIdentityRootCA, "belongs to the modem")]
        [InlineData(CredentialType.NordicBasePublicKey, "belongs to the modem")]
        [InlineData((CredentialType)12, "no public definition")]
        public void Modem_types_are_not_writable(CredentialType type, string why)
        {
            var e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(1, type));
            Assert.Equal(ErrorIds.CredentialTypeNotWritable, e.ErrorId);
            Assert.Contains(why, e.Message);
        }

        [Fact]
        public void Public_key_goes_through_xpmng_only()
        {
            var e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(1, CredentialType.PublicKey));
            Assert.Equal(ErrorIds.CredentialTypeRequiresXpmng, e.ErrorId);
            e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(10, CredentialType.PublicKey, viaXpmng: true));
            Assert.Equal(ErrorIds.CredentialSecTagOutOfRange, e.ErrorId);
            e = Assert.Throws<ModemException>(() => CredentialRules.EnsureWritable(1, CredentialType.RootCA, viaXpmng: true));
            Assert.Equal(ErrorIds.CredentialTypeNotWritable, e.ErrorId);
        }

        [Theory]
        [InlineData(CredentialType.ClientCertificate, "not readable")]
        [InlineData(CredentialType.ClientPrivateKey, "never returns secrets")]
        [InlineData(CredentialType.Psk, "never returns secrets")]
        [InlineData(CredentialType.NordicBasePublicKey, "does not return")]
        public void Only_root_ca_and_identity_are_readable(CredentialType type, string why)
        {
            CredentialRules.EnsureReadable(CredentialType.RootCA);
            CredentialRules.EnsureReadable(CredentialType.PskIdentity);
            var e = Assert.Throws<ModemException>(() => CredentialRules.EnsureReadable(type));
            Assert.Equal(ErrorIds.CredentialTypeNotReadable, e.ErrorId);
            Assert.Equal(ModemErrorCategory.PermissionDenied, e.Category);
            Assert.Contains(why, e.Message);
        }

        [Fact]
        public void Read_attempts_include_the_uncertain_client_certificate()
        {
            Assert.Equal(new[] { 0, 1, 4 }, Enumerable.Range(0, 14).Where(n => CredentialRules.MayTryToRead((CredentialType)n)).ToArray());
            Assert.True(CredentialRules.MayTryToRead(CredentialType.ClientCertificate));
            Assert.False(CredentialRules.IsReadable(CredentialType.ClientCertificate));
        }

        [Theory]
        [InlineData(42L, 0, false, false)]
        [InlineData(42L, 8, false, false)]
        [InlineData(42L, 6, false, true)]
        [InlineData(42L, 12, false, true)]
        [InlineData(4294967293L, 10, false, true)]
        [InlineData(4294967292L, 0, true, true)]
        [InlineData(2147483650L, 0, false, true)]
        [InlineData(2147483650L, 0, true, false)]
        [InlineData(2147483668L, 0, true, true)]
        public void Listed_entries_owned_by_the_modem(long tag, int type, bool is91x1, bool owned)
        {
            Assert.Equal(owned, CredentialRules.IsModemOwned(tag, (CredentialType)type, is91x1));
            Assert.Equal(owned, CredentialRules.IsModemOwned((uint)tag, (CredentialType)type, is91x1));
        }

        [Fact]
        public void Valid_sec_tag_for_list_read_delete()
        {
            CredentialRules.EnsureValidSecTag(4294967295);
            Assert.Equal(ErrorIds.CredentialSecTagOutOfRange, Assert.Throws<ModemException>(() => CredentialRules.EnsureValidSecTag(4294967296)).ErrorId);
            Assert.Throws<ArgumentOutOfRangeException>(() => CredentialRules.FromNumber(-1));
        }
    }
}
