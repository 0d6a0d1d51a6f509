using Nrf91Cmng.Core.Tests.At;

namespace Nrf91Cmng.Core.Tests.Credentials;

/// <summary>
/// The TLS credentials shell as a credential store, and AT%CMNG through a shell's 'at': parsing of
/// 'cred list', chunking, the digest forms per backend (spec §8, vectors of §12), and writes, replaces,
/// refusals and reads against the virtual modem's shells.
/// </summary>
public sealed class ShellCredentialStoreTests
{
    /// <summary>The spec's P: SHA-256(P) and SHA-256(P + NUL).</summary>
    private const string P = "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n";
    private const string DigestModem = "E7D1576D3C5551CFC9071953A709864053A6ABE14E9281CFC2CD11B48E6F053C";
    private static readonly string s_digestRaw = Hex(Convert.FromBase64String("ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU="));

    [Fact]
    public void ListLinesParseToHexDigestsAndUnsignedTags()
    {
        CredentialEntry? entry = ShellCredentialStore.ParseListLine("42,CA,59FXbTxVUc/JBxlTpwmGQFOmq+FOkoHPws0RtI5vBTw=,0", out string? skipped);
        Assert.NotNull(entry);
        Assert.Null(skipped);
        Assert.Equal(42u, entry.SecTag);
        Assert.Equal(CredentialType.RootCA, entry.Type);
        Assert.Equal(DigestModem, entry.Sha256);

        CredentialEntry? negative = ShellCredentialStore.ParseListLine("-2,SERV,ERROR,-2", out _);
        Assert.Equal(4294967294u, negative!.SecTag);
        Assert.Equal(CredentialType.ClientCertificate, negative.Type);
        Assert.Null(negative.Sha256);

        Assert.Equal(CredentialType.PskIdentity, ShellCredentialStore.ParseListLine("7,PSK_ID,ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU=,0", out _)!.Type);
        Assert.Null(ShellCredentialStore.ParseListLine("7,PK_PSA,ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU=,0", out skipped));
        Assert.Equal("PK_PSA at sec_tag 7", skipped);
        Assert.Null(ShellCredentialStore.ParseListLine("1 credentials found.", out _));
        Assert.Throws<ModemProtocolException>(() => ShellCredentialStore.ParseListLine("42,CA,QUJD,0", out _));
    }

    [Theory]
    [InlineData(CredentialType.RootCA, "CA")]
    [InlineData(CredentialType.ClientCertificate, "SERV")]
    [InlineData(CredentialType.ClientPrivateKey, "PK")]
    [InlineData(CredentialType.Psk, "PSK")]
    [InlineData(CredentialType.PskIdentity, "PSK_ID")]
    public void TypesMapAsTheSpecSays(CredentialType type, string keyword)
    {
        Assert.Equal(keyword, ShellCredentialStore.ShellType(type));
        Assert.Equal(type, ShellCredentialStore.FromShellType(keyword));
        Assert.Equal(type, ShellCredentialStore.FromShellType(keyword.ToLowerInvariant()));
    }

    [Fact]
    public void ChunksAre48CharactersAndNeverEndInLoad()
    {
        List<string> chunks = ShellCredentialStore.Chunks(new string('A', 100));
        Assert.Equal(new[] { 48, 48, 4 }, chunks.Select(c => c.Length));
        Assert.All(chunks, c => Assert.True(("cred buf " + c + "\r\n").Length <= 64));
        List<string> load = ShellCredentialStore.Chunks(new string('A', 48) + "load");
        Assert.Equal(new[] { new string('A', 48) + "load" }, load);
    }

    [Fact]
    public void StoredBytesFollowTheFormatOfEachType()
    {
        Assert.Equal(Encoding.ASCII.GetBytes(P + "\0"), ShellCredentialStore.StoredBytes(P, CredentialType.RootCA, out bool terminated));
        Assert.True(terminated);
        Assert.Equal(new byte[] { 0x2B, 0x7E, 0x15, 0x16 }, ShellCredentialStore.StoredBytes("2B7E1516", CredentialType.Psk, out terminated));
        Assert.False(terminated);
        Assert.Equal(Encoding.ASCII.GetBytes("device 42"), ShellCredentialStore.StoredBytes("device 42", CredentialType.PskIdentity, out _));
    }

    [Fact]
    public void DigestsOfTheSpecVectorsPerBackendAndTheBackendLearntFromAMatch()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.Cred });
        using ModemClient client = Connect(modem);
        var store = new ShellCredentialStore(client);
        Assert.Equal(CredShellBackend.Unknown, store.Backend);
        Assert.Equal(s_digestRaw, store.DigestOf(P, CredentialType.RootCA)); // the raw form until known
        Assert.False(store.IsDigestOf(new string('0', 64), P, CredentialType.RootCA));
        Assert.Equal(CredShellBackend.Unknown, store.Backend);
        Assert.True(store.IsDigestOf(DigestModem, P, CredentialType.RootCA));
        Assert.Equal(CredShellBackend.Modem, store.Backend);
        Assert.Equal(DigestModem, store.DigestOf(P, CredentialType.RootCA));
        Assert.False(store.IsDigestOf(s_digestRaw, P, CredentialType.RootCA));
    }

    public static TheoryData<TlsCredentialBackend, CommandMode, CredShellBackend> Backends() => new()
    {
        { TlsCredentialBackend.Volatile, CommandMode.Cred, CredShellBackend.Volatile },
        { TlsCredentialBackend.Psa, CommandMode.Cred, CredShellBackend.Psa },
        { TlsCredentialBackend.Modem, CommandMode.Cred, CredShellBackend.Modem },
        { TlsCredentialBackend.Modem, CommandMode.CredAndAt, CredShellBackend.Modem },
    };

    [Theory]
    [MemberData(nameof(Backends))]
    public void WritesVerifyReplaceAndDeleteOnEachBackend(TlsCredentialBackend backend, CommandMode mode, CredShellBackend learnt)
    {
        using VirtualModem modem = Shell(backend, mode, credentialBuffer: 4096);
        using ModemClient client = Connect(modem);
        Assert.Equal(mode, client.Mode);
        ICredentialStore store = CredentialStores.For(client);
        Assert.IsType<ShellCredentialStore>(store);
        var installer = new CredentialInstaller(store, null);
        string cert = Fixture("client.pem");
        InstallOutcome outcome = Install(installer, new InstallItem(42, CredentialType.RootCA, P, null, "P"), new InstallItem(42, CredentialType.ClientCertificate, cert, null, "cert"));
        Assert.All(outcome.Results, r => Assert.Equal(InstallStatus.Written, r.Status));
        Assert.Equal(learnt, ((ShellCredentialStore)store).Backend);

        // The digest listed is that of the bytes the emulated firmware holds.
        byte[] stored = modem.GetShellCredentialBytes(42, 0)!;
        Assert.Equal(learnt == CredShellBackend.Modem ? Encoding.ASCII.GetBytes(P) : Encoding.ASCII.GetBytes(P + "\0"), stored);
        Assert.Equal(Hex(System.Security.Cryptography.SHA256.HashData(stored)), outcome.Results[0].ListedSha256);
        Assert.Equal(learnt == CredShellBackend.Modem ? DigestModem : s_digestRaw, outcome.Results[0].ListedSha256);
        Assert.Equal(learnt == CredShellBackend.Modem, modem.GetStoredBytes(42, 0) is not null);

        // Idempotent: the same content again is left alone; other content replaces it (delete, then add).
        InstallPlan again = installer.Plan(new[] { new InstallItem(42, CredentialType.RootCA, P, null, "P") }, CancellationToken.None);
        Assert.Equal(InstallAction.Unchanged, again.Steps[0].Action);
        string other = P.Replace("TEST", "TEST2");
        InstallOutcome replaced = Install(installer, new InstallItem(42, CredentialType.RootCA, other, null, "other"));
        Assert.Equal(InstallStatus.Replaced, replaced.Results[0].Status);
        Assert.Equal(Encoding.ASCII.GetBytes(other), modem.GetShellCredentialBytes(42, 0)!.TakeWhile(b => b != 0));

        CredentialComparison comparison = CredentialComparer.Compare(store, 42, CredentialType.RootCA, other.Replace("\n", "\r\n"), null, NullModemLog(), CancellationToken.None);
        Assert.True(comparison.Match);
        Assert.Equal("Lf", comparison.MatchedVariant);

        RemoveOutcome removed = CredentialRemover.Remove(store, new[] { new KeyValuePair<uint, CredentialType>(42, CredentialType.RootCA) }, new ForceApprover(true), null, CancellationToken.None);
        Assert.Equal(RemoveStatus.Removed, removed.Results[0].Status);
        Assert.Null(modem.GetShellCredentialBytes(42, 0));
        Assert.NotNull(modem.GetShellCredentialBytes(42, 1));
    }

    [Theory]
    [InlineData(TlsCredentialBackend.Volatile)]
    [InlineData(TlsCredentialBackend.Psa)]
    public void RawBackendsStorePsksAsKeyBytesAndReadCertificatesBack(TlsCredentialBackend backend)
    {
        using VirtualModem modem = Shell(backend, CommandMode.Cred, credentialBuffer: 4096);
        using ModemClient client = Connect(modem);
        ICredentialStore store = CredentialStores.For(client);
        var installer = new CredentialInstaller(store, null);
        InstallOutcome outcome = Install(
            installer,
            new InstallItem(7, CredentialType.Psk, "2B7E151628AED2A6ABF7158809CF4F3C", null, "psk"),
            new InstallItem(7, CredentialType.PskIdentity, "device-7", null, "id"),
            new InstallItem(7, CredentialType.RootCA, P, null, "P"));
        Assert.All(outcome.Results, r => Assert.Equal(InstallStatus.Written, r.Status));
        Assert.Equal(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"), modem.GetShellCredentialBytes(7, 3));
        Assert.Equal(Encoding.ASCII.GetBytes("device-7"), modem.GetShellCredentialBytes(7, 4));

        CredentialEntry read = ReadBack(store, 7, CredentialType.RootCA);
        Assert.Equal(P, read.Content);
        Assert.Equal(s_digestRaw, read.Sha256);
    }

    [Fact]
    public void TheModemBackendRefusesPsksClearlyAndReadsThroughAtWhereItCan()
    {
        using VirtualModem modem = Shell(TlsCredentialBackend.Modem, CommandMode.CredAndAt, credentialBuffer: 4096);
        using ModemClient client = Connect(modem);
        ShellCredentialStore store = ShellStore(client);
        Write(store, 7, CredentialType.RootCA, P);
        Assert.Equal(CredShellBackend.Unknown, store.Backend);
        Assert.Equal(DigestModem, store.List(7, null, null, CancellationToken.None).Single().Sha256);
        Assert.Equal(CredShellBackend.Modem, store.Backend); // 'cred list' and the modem's own list agree

        var psk = Assert.Throws<ModemException>(() => Write(store, 7, CredentialType.Psk, "2B7E1516"));
        Assert.Equal(ErrorIds.CredentialTypeNotSupported, psk.ErrorId);
        Assert.Null(modem.GetStoredBytes(7, 3));

        CredentialEntry read = ReadBack(store, 7, CredentialType.RootCA);
        Assert.Equal(P, read.Content);
    }

    [Fact]
    public void ACredentialLargerThanTheBufferIsRefusedAndNothingIsStored()
    {
        using VirtualModem modem = Shell(TlsCredentialBackend.Psa, CommandMode.Cred, credentialBuffer: 1024);
        using ModemClient client = Connect(modem);
        ShellCredentialStore store = ShellStore(client);
        string ca = Fixture("ca.pem"); // 1143 bytes: 1524 base64 characters
        var ex = Assert.Throws<ModemException>(() => Write(store, 42, CredentialType.RootCA, ca));
        Assert.Equal(ErrorIds.CredentialBufferTooSmall, ex.ErrorId);
        Assert.Contains("CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE", ex.Message + ex.Remedy, StringComparison.Ordinal);
        Assert.Contains("between 1009 and 1056, likely the default 1024", ex.Message, StringComparison.Ordinal);
        Assert.Empty(store.List(null, null, null, CancellationToken.None));

        // Now known: a second one is refused without sending a single chunk.
        long sent = client.Channel.BytesSent;
        Assert.Throws<ModemException>(() => Write(store, 43, CredentialType.RootCA, ca));
        Assert.Equal(sent, client.Channel.BytesSent);
    }

    [Fact]
    public void AReplaceWhoseAddFailsSaysWhatWasDeleted()
    {
        using VirtualModem modem = Shell(TlsCredentialBackend.Volatile, CommandMode.Cred, credentialBuffer: 16384);
        using ModemClient client = Connect(modem);
        ShellCredentialStore store = ShellStore(client);
        Write(store, 42, CredentialType.RootCA, P);
        string listed = store.List(42, CredentialType.RootCA, null, CancellationToken.None).Single().Sha256!;

        // Larger than the shell's 6000-byte heap for copies: the delete frees the old one, the add still fails.
        string big = "-----BEGIN CERTIFICATE-----\n" + string.Join("\n", Enumerable.Repeat(new string('Q', 64), 95)) + "\n-----END CERTIFICATE-----\n";
        var ex = Assert.Throws<ModemException>(() => Write(store, 42, CredentialType.RootCA, big, replacing: true));
        Assert.Equal(ErrorIds.CredentialReplaceFailed, ex.ErrorId);
        Assert.Contains(listed, ex.Message, StringComparison.Ordinal);
        Assert.Contains("now holds no root CA certificate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAtAWriteRefusedOnlineSaysTheApplicationMustGoOffline()
    {
        using VirtualModem modem = Shell(TlsCredentialBackend.Modem, CommandMode.Cred, credentialBuffer: 4096);
        modem.Execute("AT+CFUN=1");
        using ModemClient client = Connect(modem);
        ICredentialStore store = CredentialStores.For(client);
        Assert.Null(store.FunctionalMode);
        var installer = new CredentialInstaller(store, null);
        InstallOutcome outcome = Install(installer, new InstallItem(42, CredentialType.RootCA, P, null, "P"));
        ModemException error = outcome.Results[0].Error!;
        Assert.Equal(ErrorIds.FunctionalModeActive, error.ErrorId);
        Assert.Contains("application", error.Remedy, StringComparison.Ordinal);
        Assert.Null(modem.GetStoredBytes(42, 0));
    }

    [Fact]
    public void WithAtTheOfflineGuardSwitchesTheModemAndRestoresIt()
    {
        using VirtualModem modem = Shell(TlsCredentialBackend.Modem, CommandMode.CredAndAt, credentialBuffer: 4096);
        modem.Execute("AT+CFUN=1");
        using ModemClient client = Connect(modem);
        ICredentialStore store = CredentialStores.For(client);
        var installer = new CredentialInstaller(store, null);
        InstallOutcome outcome = Install(installer, new InstallItem(42, CredentialType.RootCA, P, null, "P"));
        Assert.Equal(InstallStatus.Written, outcome.Results[0].Status);
        Assert.True(outcome.SwitchedOffline);
        Assert.Equal(1, modem.FunctionalMode);
    }

    [Fact]
    public void AnAtShellThatUnescapesStoresCrLfAndTheDigestIsThatOfCrLf()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.Shell });
        using ModemClient client = Connect(modem);
        Assert.Equal(CommandMode.Shell, client.Mode);
        ICredentialStore store = CredentialStores.For(client);
        var installer = new CredentialInstaller(store, null);
        InstallOutcome outcome = Install(installer, new InstallItem(42, CredentialType.RootCA, P, null, "P"));
        Assert.Equal(InstallStatus.Written, outcome.Results[0].Status);
        Assert.True(client.ShellUnescapesLf);
        byte[] stored = modem.GetStoredBytes(42, 0)!;
        Assert.Equal(P.Replace("\n", "\r\n"), Encoding.ASCII.GetString(stored));
        Assert.Equal(Hex(System.Security.Cryptography.SHA256.HashData(stored)), outcome.Results[0].ListedSha256);
        Assert.DoesNotContain(modem.Credentials, c => c.SecTag >= 2147483640 && c.SecTag <= 2147483647); // the probe is gone

        CredentialComparison comparison = CredentialComparer.Compare(store, 42, CredentialType.RootCA, P, null, NullModemLog(), CancellationToken.None);
        Assert.True(comparison.Match);
        Assert.Equal("CrLf", comparison.MatchedVariant);
        Assert.Equal(P.Replace("\n", "\r\n"), ReadBack(store, 42, CredentialType.RootCA).Content);

        // The probe ran once: the next write goes without it.
        int writes = modem.ReceivedCommands.Count(c => c.StartsWith("AT%CMNG=0", StringComparison.Ordinal));
        Install(installer, new InstallItem(43, CredentialType.RootCA, P, null, "P"));
        Assert.Equal(writes + 1, modem.ReceivedCommands.Count(c => c.StartsWith("AT%CMNG=0", StringComparison.Ordinal)));
    }

    [Fact]
    public void AnAtShellThatDoesNotUnescapeIsRefusedBeforeTheCredentialIsSent()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.At, ShellBufferSize = 4096 });
        using ModemClient client = Connect(modem);
        ICredentialStore store = CredentialStores.For(client);
        var installer = new CredentialInstaller(store, null);
        InstallOutcome outcome = Install(
            installer,
            new InstallItem(42, CredentialType.RootCA, P, null, "P"),
            new InstallItem(42, CredentialType.PskIdentity, "device-42", null, "one line"));
        Assert.Equal(ErrorIds.ShellNoUnescape, outcome.Results[0].Error!.ErrorId);
        Assert.Contains("CONFIG_AT_SHELL_UNESCAPE_LF", outcome.Results[0].Error!.Remedy, StringComparison.Ordinal);
        Assert.Equal(InstallStatus.Written, outcome.Results[1].Status); // one line needs no unescaping
        Assert.False(client.ShellUnescapesLf);
        Assert.Null(modem.GetStoredBytes(42, 0));
        Assert.DoesNotContain(modem.ReceivedCommands, c => c.StartsWith("AT%CMNG=0,42,0", StringComparison.Ordinal));
        Assert.Equal(new[] { "42,4" }, modem.Credentials.Where(c => c.SecTag < 2147483648).Select(c => c.SecTag + "," + c.Type));
    }

    private static VirtualModem Shell(TlsCredentialBackend backend, CommandMode mode, int credentialBuffer) =>
        new(new VirtualModemOptions
        {
            Framing = ModemFraming.ZephyrShell,
            ShellCommands = mode == CommandMode.Cred ? ShellCommandSet.Cred : ShellCommandSet.Both,
            CredentialBackend = backend,
            CredentialBufferSize = credentialBuffer,
        });

    private static ModemClient Connect(VirtualModem modem) =>
        ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://cred", TransportKind.InProcess, "virtual modem"),
            new ModemClientOptions { DetectTimeout = TimeSpan.FromSeconds(1) }, null, CancellationToken.None);

    private static Logging.IModemLog NullModemLog() => new RecordingLog();

    private static ShellCredentialStore ShellStore(ModemClient client) => (ShellCredentialStore)CredentialStores.For(client);

    /// <summary>Writes without a passphrase or log.</summary>
    private static void Write(ShellCredentialStore store, uint secTag, CredentialType type, string content, bool replacing = false) =>
        store.Write(secTag, type, content, null, replacing, null, CancellationToken.None);

    /// <summary>Plans <paramref name="items"/> and carries the plan out, every change approved.</summary>
    private static InstallOutcome Install(CredentialInstaller installer, params InstallItem[] items) =>
        installer.Execute(installer.Plan(items, CancellationToken.None), new ForceApprover(true), CancellationToken.None);

    private static CredentialEntry ReadBack(ICredentialStore store, uint secTag, CredentialType type) =>
        CredentialReader.ReadVerified(store, secTag, type, NullModemLog(), CancellationToken.None);

    private static string Fixture(string name)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string path = Path.Combine(d.FullName, "tests", "Pester", "Fixtures", name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Replace("\r\n", "\n");
            }
        }

        throw new FileNotFoundException(name);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
