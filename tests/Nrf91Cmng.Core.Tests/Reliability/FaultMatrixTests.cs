using Nrf91Cmng.Core.Tests.At;
using Nrf91Cmng.Core.Keys;
using Xunit.Abstractions;

namespace Nrf91Cmng.Core.Tests.Reliability;

/// <summary>
/// The fault matrix: every device operation under every fault the virtual modem can inject. Each
/// cell checks that the operation ends within its timeout with success or a specific ModemException,
/// that the session recovers (or says it cannot), and that the credential store holds the old or
/// the new content, never a missing or partial one.
/// </summary>
public sealed class FaultMatrixTests
{
    private const string OldCa = "-----BEGIN CERTIFICATE-----\nb2xkIGNvbnRlbnQ=\n-----END CERTIFICATE-----\n";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(800);
    private readonly ITestOutputHelper _output;

    public FaultMatrixTests(ITestOutputHelper output) => _output = output;

    public static readonly string[] Operations = { "identify", "list", "read", "write", "delete", "keygen", "publickey", "mode" };

    public static readonly string[] Faults = { "none", "silence", "partial", "garbage", "drop", "drop-mid-write", "reboot", "reboot-after-executing", "urc-flood", "delay", "cme" };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (string operation in Operations)
        {
            foreach (string fault in Faults)
            {
                data.Add(operation, fault);
            }
        }

        return data;
    }

    private static string Prefix(string operation) => operation switch
    {
        "identify" => "AT+CGSN",
        "list" => "AT%CMNG=1",
        "read" => "AT%CMNG=2",
        "write" => "AT%CMNG=0",
        "delete" => "AT%CMNG=3",
        "keygen" => "AT%KEYGEN",
        "publickey" => "AT%XPMNG",
        "mode" => "AT+CFUN=",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void EveryOperationSurvivesEveryFault(string operation, string fault)
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Firmware = "mfw_nrf9160_1.3.5", Seed = 7 });
        string newCa = CertificatePem();
        modem.Preload(1, 0, Encoding.ASCII.GetBytes(OldCa));
        modem.Preload(2, 4, Encoding.ASCII.GetBytes("identity-2"));
        ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://matrix", TransportKind.InProcess, "virtual modem"),
            new ModemClientOptions { DefaultTimeout = s_timeout, WriteTimeout = s_timeout, FunctionalModeTimeout = s_timeout, KeyGenerationTimeout = TimeSpan.FromSeconds(3) }, null, CancellationToken.None);
        using (client)
        {
            string prefix = Prefix(operation);
            switch (fault)
            {
                case "silence": modem.Faults.NoReply(prefix); break;
                case "partial": modem.Faults.PartialReply(-1, prefix); break;
                case "garbage": modem.Faults.Garbage(null, prefix); break;
                case "drop": modem.Faults.Drop(prefix); break;
                case "drop-mid-write": modem.Faults.Drop(prefix, 5); break;
                case "reboot": modem.Faults.RebootOn(prefix); break;
                case "reboot-after-executing": modem.Faults.RebootOn(prefix, execute: true); break;
                case "urc-flood": modem.Faults.UrcFlood(300); break;
                case "delay": modem.Faults.Delay(TimeSpan.FromMilliseconds(300), prefix); break;
                case "cme": modem.Faults.CmeError(operation == "write" ? 515 : 514, prefix); break;
            }

            var clock = Stopwatch.StartNew();
            Exception? error = null;
            try
            {
                Run(operation, client, newCa);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            clock.Stop();
            _output.WriteLine(operation + " / " + fault + ": " + (error is null ? "ok" : error.GetType().Name + " " + (error as ModemException)?.ErrorId + ": " + error.Message) + " in " + clock.ElapsedMilliseconds + " ms");

            // 1. Only typed errors, and within the timeout (generous bound: resynchronisation included, noisy machines).
            Assert.True(error is null or ModemException, "untyped failure: " + error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "took " + clock.Elapsed);
            if (fault is "none" or "urc-flood" or "delay")
            {
                Assert.Null(error);
            }

            if (fault is "silence" or "drop" or "drop-mid-write" or "reboot" or "cme" && operation != "identify")
            {
                Assert.NotNull(error);
            }

            // 2. The session recovers, or says it cannot.
            if (client.Channel.IsUsable)
            {
                AtResponse probe = client.Channel.Execute(new AtRequest("AT"), null, CancellationToken.None);
                Assert.True(probe.IsOk, "the session claims to be usable but AT fails");
            }
            else
            {
                var lost = Assert.IsAssignableFrom<ModemException>(error);
                Assert.True(lost.Category == ModemErrorCategory.ConnectionError, "an unusable session must be reported as a connection error, got " + lost.ErrorId);
            }

            // 3. The store holds the old or the new content, never a missing or partial one.
            byte[]? ca = modem.GetStoredBytes(1, 0);
            Assert.NotNull(ca);
            string stored = Encoding.ASCII.GetString(ca!);
            Assert.True(stored == OldCa || stored == newCa, "the CA at sec_tag 1 is partial: " + stored.Length + " bytes");
            byte[]? identity = modem.GetStoredBytes(2, 4);
            Assert.True(identity is null || Encoding.ASCII.GetString(identity) == "identity-2");
            if (operation == "write" && error is null)
            {
                Assert.Equal(newCa, stored);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(50)]
    [InlineData(60)]
    [InlineData(513)]
    [InlineData(514)]
    [InlineData(515)]
    [InlineData(518)]
    [InlineData(519)]
    [InlineData(520)]
    [InlineData(523)]
    [InlineData(527)]
    [InlineData(528)]
    [InlineData(529)]
    [InlineData(999)]
    public void EveryCmeCodeOnAWriteIsASpecificErrorAndTheOldContentStays(int code)
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 3 });
        modem.Preload(1, 0, Encoding.ASCII.GetBytes(OldCa));
        using ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://cme", TransportKind.InProcess, "virtual modem"), new ModemClientOptions(), null, CancellationToken.None);
        modem.Faults.CmeError(code, "AT%CMNG=0", count: 2);
        var installer = new CredentialInstaller(new AtCredentialStore(client), null);
        InstallOutcome outcome = installer.Execute(installer.Plan(new[] { new InstallItem(1, 0, CertificatePem(), null, "test") }, CancellationToken.None), new ForceApprover(true), CancellationToken.None);
        InstallResult result = Assert.Single(outcome.Results);
        Assert.Equal(InstallStatus.Failed, result.Status);
        var cme = Assert.IsType<ModemCommandException>(result.Error);
        Assert.Equal(code, cme.Code);
        Assert.Equal("ModemCmeError" + code, cme.ErrorId);
        Assert.False(string.IsNullOrEmpty(cme.Remedy));
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), cme.Message);
        Assert.Equal(OldCa, Encoding.ASCII.GetString(modem.GetStoredBytes(1, 0)!));
        Assert.True(client.Channel.Execute(new AtRequest("AT"), null, CancellationToken.None).IsOk);
    }

    [Fact]
    public void AConsoleLeftInsideAnOpenQuoteIsRecoveredWithoutExecutingTheHalfWrite()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 5 });
        var options = new ModemClientOptions { DefaultTimeout = s_timeout, WriteTimeout = s_timeout };
        using (ModemClient first = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://quote", TransportKind.InProcess, "virtual modem"), options, null, CancellationToken.None))
        {
            // The cable is pulled 20 bytes into a write: the modem's line buffer keeps 'AT%CMNG=0,9,4,"abc', inside a quote.
            modem.Faults.Drop("AT%CMNG=0", 20);
            Assert.ThrowsAny<ModemException>(() => new AtCredentialStore(first).Write(9, CredentialType.PskIdentity, "abcdefghijklmnopqrstuvwxyz", null, false, null, CancellationToken.None));
        }

        // The next program to open the port finds a console that answers nothing: the engine erases the line and recovers.
        using ModemClient second = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://quote", TransportKind.InProcess, "virtual modem"), options, null, CancellationToken.None);
        Assert.True(second.Channel.Execute(new AtRequest("AT"), null, CancellationToken.None).IsOk);
        Assert.Equal(second.Identity.Imei, modem.Imei);
        Assert.Null(modem.GetStoredBytes(9, 4));
    }

    [PseudoTerminalFact]
    public void AReconnectWhileTheModemStillFinishesAnInterruptedWriteTakesNoLateAnswerForItsOwn()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 9 });
        using VirtualModemServer server = VirtualModemServer.StartPseudoTerminal(modem);
        var options = new ModemClientOptions { DefaultTimeout = TimeSpan.FromSeconds(2), SettleTime = SettleTime };
        ModemClient Open() => ModemClient.Connect(SerialTransport.Open(new SerialSettings(server.Address) { Handshake = SerialHandshake.None }), options, null, CancellationToken.None);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        using (ModemClient first = Open())
        {
            // Ctrl+C while the modem takes 1 s over a write: the answer comes after the session is gone.
            modem.Faults.Delay(TimeSpan.FromMilliseconds(1000), "AT%CMNG=0");
            Assert.ThrowsAny<OperationCanceledException>(() => new AtCredentialStore(first).Write(3, CredentialType.PskIdentity, "late", null, false, null, cancel.Token));
        }

        using ModemClient second = Open();
        Assert.Equal(modem.Imei, second.Identity.Imei);
        Assert.Equal("nRF9160-SICA", second.Identity.Model);
        Assert.StartsWith("mfw_nrf9160_1.3.5", second.Identity.Firmware.Name);
        Assert.Equal(0, second.GetFunctionalMode(null, CancellationToken.None));
    }

    [Fact]
    public void ALateOkBeforeTheFirstAnswerShiftsNoIdentityReply()
    {
        // An earlier program's answer arrives just before ours to AT+CMEE=1: connect takes the first
        // OK without waiting for a quiet line, so every reply after it is one command late until the
        // identity read notices a model answered with a bare OK, waits for quiet and reads again.
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 21 });
        modem.Faults.Garbage(Encoding.ASCII.GetBytes("\r\nOK\r\n"), "AT+CMEE");
        modem.Faults.StallReply(TimeSpan.FromMilliseconds(150), commandPrefix: "AT+CMEE");
        var log = new RecordingLog();
        using ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://late", TransportKind.InProcess, "virtual modem"),
            new ModemClientOptions { DefaultTimeout = s_timeout }, log, CancellationToken.None);
        Assert.Equal("nRF9160-SICA", client.Identity.Model);
        Assert.StartsWith("mfw_nrf9160_1.3.5", client.Identity.Firmware.Name);
        Assert.Equal(modem.Imei, client.Identity.Imei);
        Assert.Equal(0, client.GetFunctionalMode(null, CancellationToken.None));
        Assert.True(client.Channel.Execute(new AtRequest("AT"), null, CancellationToken.None).IsOk);
        Assert.Contains(log.Verbose, line => line.Contains("shifted by a late answer", StringComparison.Ordinal));
    }

    private static TimeSpan SettleTime => Environment.GetEnvironmentVariable("NRF91_TEST_NO_SETTLE") == "1" ? TimeSpan.Zero : new ModemClientOptions().SettleTime;

    [Fact]
    public void ACommandWithAnOddQuoteIsRefusedBeforeItCanHangTheConsole()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 4 });
        using ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://quote", TransportKind.InProcess, "virtual modem"), new ModemClientOptions(), null, CancellationToken.None);
        int before = modem.ReceivedCommands.Count;
        var ex = Assert.ThrowsAny<ModemException>(() => client.Channel.Execute(new AtRequest("AT%CMNG=0,9,4,\"unterminated"), null, CancellationToken.None));
        Assert.Equal(ErrorIds.CommandNotSendable, ex.ErrorId);
        Assert.Equal(before, modem.ReceivedCommands.Count);
    }

    [Fact]
    public void AnOverlongCommandIsRefusedBeforeSendingAndThePortStaysUsable()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 6 });
        using ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://long", TransportKind.InProcess, "virtual modem"), new ModemClientOptions(), null, CancellationToken.None);
        int before = modem.ReceivedCommands.Count;
        var ex = Assert.ThrowsAny<ModemException>(() => client.Channel.Execute(new AtRequest("AT%CMNG=0,9,0,\"" + new string('A', 5000) + "\""), null, CancellationToken.None));
        Assert.Equal(ErrorIds.CommandTooLong, ex.ErrorId);
        Assert.Equal(before, modem.ReceivedCommands.Count);
        Assert.True(client.Channel.Execute(new AtRequest("AT"), null, CancellationToken.None).IsOk);
    }

    [PseudoTerminalFact]
    public void APortThatVanishesIsReportedAsLost()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 8 });
        using VirtualModemServer server = VirtualModemServer.StartPseudoTerminal(modem);
        using ModemClient client = ModemClient.Connect(SerialTransport.Open(new SerialSettings(server.Address) { Handshake = SerialHandshake.None }),
            new ModemClientOptions { DefaultTimeout = s_timeout }, null, CancellationToken.None);
        server.Vanish();
        var clock = Stopwatch.StartNew();
        var ex = Assert.ThrowsAny<ModemException>(() => new AtCredentialStore(client).List(null, null, null, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(ex.Category is ModemErrorCategory.ConnectionError or ModemErrorCategory.OperationTimeout, ex.ErrorId);
    }

    private static void Run(string operation, ModemClient client, string newCa)
    {
        switch (operation)
        {
            case "identify":
                client.Identify(null, CancellationToken.None);
                break;
            case "list":
                new AtCredentialStore(client).List(null, null, null, CancellationToken.None);
                break;
            case "read":
                new AtCredentialStore(client).Read(1, CredentialType.RootCA, null, CancellationToken.None);
                break;
            case "write":
                var installer = new CredentialInstaller(new AtCredentialStore(client), null);
                InstallOutcome outcome = installer.Execute(installer.Plan(new[] { new InstallItem(1, 0, newCa, null, "test") }, CancellationToken.None), new ForceApprover(true), CancellationToken.None);
                if (outcome.Results[0].Error is ModemException failed)
                {
                    throw failed;
                }

                break;
            case "delete":
                IReadOnlyList<RemoveResult> removed = CredentialRemover.Remove(new AtCredentialStore(client), new[] { new KeyValuePair<uint, CredentialType>(2, CredentialType.PskIdentity) }, new ForceApprover(true), null, CancellationToken.None).Results;
                if (removed[0].Error is ModemException notRemoved)
                {
                    throw notRemoved;
                }

                break;
            case "keygen":
                Nrf91Cmng.Core.Crypto.KeygenResponse.Parse(client.GenerateKey(5, CredentialType.ClientPrivateKey, 0, null, null, null, CancellationToken.None));
                break;
            case "publickey":
                try
                {
                    client.ReadPublicKey(null, null, CancellationToken.None);
                }
                catch (ModemCommandException ex) when (ex.Code == 513)
                {
                    // No key stored: the expected answer without a fault.
                }

                break;
            case "mode":
                client.SetFunctionalMode(4, null, CancellationToken.None);
                break;
        }
    }

    private static string CertificatePem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=matrix", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.ExportCertificatePem().Replace("\r\n", "\n") + "\n";
    }
}
