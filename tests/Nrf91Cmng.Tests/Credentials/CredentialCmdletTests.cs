using System.Management.Automation;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Credentials;

/// <summary>
/// Issue 4's "done when", through the cmdlets in the hosted engine, against the virtual modem on a
/// pseudo-terminal opened with the real serial transport.
/// </summary>
[Collection("Hosted")]
public sealed class CredentialCmdletTests : IClassFixture<TestCredentials>, IDisposable
{
    public static readonly TheoryData<string> Profiles = new()
    {
        "mfw_nrf9160_0.7.0", "mfw_nrf9160_1.3.5", "mfw_nrf9160_1.3.7", "mfw_nrf91x1_2.0.2",
    };

    private readonly PowerShellHarness _ps = new();
    private readonly TestCredentials _files;
    private readonly Dictionary<string, object?> _vars;

    public CredentialCmdletTests(TestCredentials files)
    {
        _files = files;
        _vars = new Dictionary<string, object?> { ["f"] = files };
    }

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private RunResult Run(string script, bool debug = false) => _ps.Run(script, _vars, debug);

    private RunResult RunChecked(string script) => _ps.RunChecked(script, _vars);

    private void StartSerialModem(string firmware = "mfw_nrf9160_1.3.5", string connectArguments = "")
    {
        if (OperatingSystem.IsWindows())
        {
            RunChecked($"$sim = Start-ModemSimulator -Transport Tcp -Firmware {firmware}; $null = $sim | Connect-Modem {connectArguments}");
        }
        else
        {
            RunChecked($"$sim = Start-ModemSimulator -Transport PseudoTerminal -Firmware {firmware}; $null = Connect-Modem -PortName $sim.PortName -Handshake None {connectArguments}");
        }
    }

    private string Store() => string.Join("\n", RunChecked("$sim.Modem.Credentials | ForEach-Object { \"$($_.SecTag),$($_.Type),$($_.Sha256)\" }").Output.Select(o => o.ToString()));

    private int CmngWrites() => (int)RunChecked("@($sim.Modem.ReceivedCommands | Where-Object { $_.StartsWith('AT%CMNG=0') }).Count").Single().BaseObject;

    [Trait("Pester", "lists, writes, verifies and deletes all five user types")]
    [Theory]
    [MemberData(nameof(Profiles))]
    public void ListReadWriteVerifyAndDeleteAllFiveUserTypes(string firmware)
    {
        StartSerialModem(firmware);
        bool placeholders = firmware == "mfw_nrf9160_0.7.0";
        RunResult write = RunChecked("""
            Set-ModemCredential -SecTag 1001 -Type RootCA -Path $f.ChainFile -PassThru
            Set-ModemCredential -SecTag 1002 -Type ClientCertificate -Path $f.ClientFile -PassThru
            Set-ModemCredential -SecTag 1002 -Type ClientPrivateKey -Path $f.EncryptedKeyFile -Passphrase $f.SecurePassphrase -PassThru
            Set-ModemCredential -SecTag 1003 -Type Psk -Content $f.Psk -PassThru
            Set-ModemCredential -SecTag 1003 -Type PskIdentity -Content $f.PskIdentity -PassThru
            """);
        Assert.Equal(5, write.Output.Count);
        Assert.All(write.Output, o => Assert.Equal("Written", o.Properties["Status"].Value.ToString()));
        Assert.Equal(TestCredentials.Sha256(_files.ChainPem), write.Output[0].Properties["Sha256"].Value);

        RunResult list = RunChecked("Get-ModemCredential | ForEach-Object { \"$($_.SecTag)/$($_.Type)/$($_.Sha256)\" }");
        string Expect(uint tag, string type, string content) => $"{tag}/{type}/{(placeholders ? string.Empty : TestCredentials.Sha256(content))}";
        Assert.Equal(
            (placeholders ? new[] { "0/PublicKey/" } : Array.Empty<string>()).Concat(new[]
            {
                Expect(1001, "RootCA", _files.ChainPem), Expect(1002, "ClientCertificate", _files.ClientPem),
                Expect(1002, "ClientPrivateKey", _files.EncryptedKeyPem), Expect(1003, "Psk", _files.Psk), Expect(1003, "PskIdentity", _files.PskIdentity),
            }),
            list.Output.Select(o => o.ToString()));

        RunResult read = RunChecked("@(Get-ModemCredential -SecTag 1001 -IncludeContent)[0] | ForEach-Object { $_.Content -eq $f.ChainPem; $_.Subject }");
        Assert.True((bool)read.Output[0].BaseObject);
        Assert.Contains("Intermediate", read.Output[1].ToString());

        RunResult verify = Run("""
            Test-ModemCredential -SecTag 1001 -Type RootCA -Path $f.ChainFile
            Test-ModemCredential -SecTag 1003 -Type PskIdentity -Content $f.PskIdentity
            Test-ModemCredential -SecTag 1003 -Type PskIdentity -Content 'someone-else'
            """);
        Assert.Equal(new object[] { true, true, false }, verify.Output.Select(o => o.BaseObject));
        if (!placeholders)
        {
            RunResult secrets = RunChecked("""
                Test-ModemCredential -SecTag 1002 -Type ClientCertificate -Path $f.ClientFile
                Test-ModemCredential -SecTag 1002 -Type ClientPrivateKey -Path $f.EncryptedKeyFile
                Test-ModemCredential -SecTag 1003 -Type Psk -Content $f.Psk
                """);
            Assert.All(secrets.Output, o => Assert.True((bool)o.BaseObject));
        }

        RunChecked("Get-ModemCredential | Remove-ModemCredential -Confirm:$false");
        Assert.Empty(RunChecked("Get-ModemCredential").Output);
        Assert.Equal(0, (int)RunChecked("@($sim.Modem.Credentials | Where-Object { $_.Origin.ToString() -eq 'Written' }).Count").Single().BaseObject);
    }

    [Trait("Pester", "removes exactly the listed root CAs, and nothing with -WhatIf")]
    [Fact]
    public void RemovingTheListedRootCAsRemovesExactlyThoseAndWhatIfChangesNothing()
    {
        StartSerialModem();
        RunChecked("""
            Set-ModemCredential 10 RootCA -Path $f.CaFile
            Set-ModemCredential 11 CA -Path $f.ChainFile
            Set-ModemCredential 11 Cert -Path $f.ClientFile
            Set-ModemCredential 12 4 -Content $f.PskIdentity
            """);
        string before = Store();
        RunResult whatIf = RunChecked("Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -WhatIf");
        Assert.Equal(before, Store());
        Assert.Contains(whatIf.HostLines, l => l.Contains("What if") && l.Contains("sec_tag 10"));

        RunChecked("Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -Confirm:$false");
        RunResult left = RunChecked("Get-ModemCredential | ForEach-Object { \"$($_.SecTag)/$($_.Type)\" }");
        Assert.Equal(new[] { "11/ClientCertificate", "12/PskIdentity" }, left.Output.Select(o => o.ToString()));
    }

    [Trait("Pester", "reports Unchanged for the same file and sends no write")]
    [Fact]
    public void WritingTheSameFileTwiceReportsUnchangedWithoutAWrite()
    {
        StartSerialModem();
        RunResult first = RunChecked("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile -PassThru");
        Assert.Equal("Written", first.Single().Properties["Status"].Value.ToString());
        Assert.Equal(1, CmngWrites());

        RunResult second = RunChecked("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile -PassThru");
        Assert.Equal("Unchanged", second.Single().Properties["Status"].Value.ToString());
        Assert.Equal(1, CmngWrites());
    }

    [Trait("Pester", "replaces a different credential only with -Force")]
    [Fact]
    public void ADifferentCredentialIsReplacedOnlyWithForceAndNeverDeletedFirst()
    {
        StartSerialModem();
        RunChecked("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile");
        RunResult declined = Run("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.ChainFile -PassThru");
        Assert.Empty(declined.Output);
        Assert.Contains(declined.HostLines, l => l.StartsWith("PROMPT:") && l.Contains("Replace"));
        Assert.Equal(TestCredentials.Sha256(_files.CaPem), RunChecked("(Get-ModemCredential -SecTag 42).Sha256").Single().ToString());

        RunResult forced = RunChecked("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.ChainFile -Force -PassThru");
        Assert.Equal("Replaced", forced.Single().Properties["Status"].Value.ToString());
        Assert.Equal(TestCredentials.Sha256(_files.ChainPem), RunChecked("(Get-ModemCredential -SecTag 42).Sha256").Single().ToString());
        Assert.Equal(0, (int)RunChecked("@($sim.Modem.ReceivedCommands | Where-Object { $_.StartsWith('AT%CMNG=3') }).Count").Single().BaseObject);
    }

    [Trait("Pester", "refuses bad content before anything is sent")]
    [Theory]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.LongFile", "CredentialCommandTooLong")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.QuoteFile", "CredentialContentHasQuote")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type ClientPrivateKey -Path $f.EncryptedKeyFile -Passphrase $f.Secure('wrong')", "PrivateKeyPassphraseIncorrect")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type ClientPrivateKey -Path $f.EncryptedKeyFile", "PrivateKeyPassphraseRequired")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.GarbageFile", "CertificateInvalid")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path ([IO.Path]::Combine($f.Directory, 'missing.pem'))", "CredentialFileNotFound")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path ([IO.Path]::Combine($f.Directory, '*.pem'))", "CredentialFileAmbiguous")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.Directory", "CredentialFileIsDirectory")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type Psk -Content 'ABC'", "CredentialPskOddLength")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type PskIdentity -Content 'caf\u00e9'", "CredentialContentNotAscii")]
    [InlineData("Set-ModemCredential -SecTag 4294967295 -Type RootCA -Path $f.CaFile", "CredentialSecTagModemOwned")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type EndorsementKey -Content 'x'", "CredentialTypeNotWritable")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA", "CredentialContentMissing")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.EmptyFile", "CredentialContentEmpty")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.DerFile", "CredentialContentBinary")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.HugeFile", "CredentialFileTooLarge")]
    [InlineData("Set-ModemCredential -SecTag 42 -Type ClientCertificate -Path $f.KeyFile", "PemWrongType")]
    [InlineData("Test-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile -Content 'x'", "CredentialContentMissing")]
    public void BadInputIsASpecificErrorBeforeAnythingIsSent(string command, string errorId)
    {
        StartSerialModem();
        RunChecked("Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile");
        string before = Store();
        int writes = CmngWrites();

        RunResult r = Run(command);
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), "every error says what to do");
        Assert.Equal(before, Store());
        Assert.Equal(writes, CmngWrites());
    }

    [Theory]
    [InlineData("Set-ModemCredential -SecTag -1 -Type RootCA -Path $f.CaFile", "sec_tag")]
    [InlineData("Set-ModemCredential -SecTag 4294967296 -Type RootCA -Path $f.CaFile", "sec_tag")]
    [InlineData("Set-ModemCredential -SecTag 1.5 -Type RootCA -Path $f.CaFile", "sec_tag")]
    [InlineData("Get-ModemCredential -SecTag 'abc'", "sec_tag")]
    [InlineData("Remove-ModemCredential -SecTag 1 -Type Bogus -Confirm:$false", "RootCA")]
    [InlineData("Set-ModemCredential -SecTag 1 -Type 12 -Path $f.CaFile", "0 to 11")]
    public void BadParameterValuesAreClearBindingErrors(string command, string hint)
    {
        StartSerialModem();
        int commands = (int)RunChecked("@($sim.Modem.ReceivedCommands).Count").Single().BaseObject;
        RunResult r = Run(command);
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains(hint, error.ToString());
        Assert.Equal(commands, (int)RunChecked("@($sim.Modem.ReceivedCommands).Count").Single().BaseObject);
    }

    [Trait("Pester", "restores the functional mode after a forced write, also when it fails")]
    [Fact]
    public void ModemFoundActiveIsBackInItsModeAfterAForcedWriteAlsoWhenTheWriteFails()
    {
        StartSerialModem();
        RunChecked("Set-ModemFunctionalMode -Mode 1 -Confirm:$false");

        RunResult ok = RunChecked("Set-ModemCredential -SecTag 7 -Type RootCA -Path $f.CaFile -Force -PassThru; (Get-ModemFunctionalMode).Mode");
        Assert.Equal("Written", ok.Output[0].Properties["Status"].Value.ToString());
        Assert.Equal("1", ok.Output[1].ToString());

        RunResult failed = Run("$null = $sim.Modem.Faults.CmeError(515, 'AT%CMNG=0'); Set-ModemCredential -SecTag 8 -Type RootCA -Path $f.CaFile -Force");
        ErrorRecord error = Assert.Single(failed.Errors);
        Assert.StartsWith("ModemCmeError515", error.FullyQualifiedErrorId);
        Assert.Equal("1", RunChecked("(Get-ModemFunctionalMode).Mode").Single().ToString());
        Assert.Equal("1,4,1,4,1", string.Join(",", RunChecked("$sim.Modem.FunctionalModeHistory").Output.Select(o => o.ToString())));
    }

    [Fact]
    public void ActiveModemIsNotSwitchedOfflineWithoutForceOrConfirmation()
    {
        StartSerialModem();
        RunChecked("Set-ModemFunctionalMode -Mode 1 -Confirm:$false");
        string before = Store();
        RunResult r = Run("Set-ModemCredential -SecTag 7 -Type RootCA -Path $f.CaFile");
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ModemFunctionalModeActive", error.FullyQualifiedErrorId);
        Assert.Contains(r.HostLines, l => l.StartsWith("PROMPT:") && l.Contains("offline"));
        Assert.Equal(before, Store());
        Assert.Equal("1", RunChecked("(Get-ModemFunctionalMode).Mode").Single().ToString());
    }

    [Fact]
    public void CmeErrorsSurfaceWithCodeMeaningAndRemedy()
    {
        StartSerialModem("mfw_nrf91x1_2.0.2");
        RunResult r = Run("$null = $sim.Modem.Faults.CmeError(527, 'AT%CMNG=0'); Set-ModemCredential -SecTag 9 -Type RootCA -Path $f.CaFile");
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ModemCmeError527", error.FullyQualifiedErrorId);
        Assert.Contains("527", error.ToString());
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
    }

    [Trait("Pester", "never shows keys, PSKs or passphrases in any stream")]
    [Fact]
    public void VerboseDebugErrorsAndTranscriptsNeverShowKeysPsksOrPassphrases()
    {
        string transcript = Path.Combine(_files.Directory, "transcript-" + Guid.NewGuid().ToString("N") + ".log");
        StartSerialModem(connectArguments: "-TranscriptPath '" + transcript + "'");
        RunResult r = Run("""
            Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path $f.EncryptedKeyFile -Passphrase $f.SecurePassphrase -Verbose -Debug
            Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path $f.KeyFile -Force -Verbose -Debug
            Set-ModemCredential -SecTag 5 -Type Psk -Content $f.Psk -Verbose -Debug
            Set-ModemCredential -SecTag 6 -Type ClientPrivateKey -Path $f.EncryptedKeyFile -Passphrase $f.Secure('wrong-passphrase') -Verbose -Debug
            Test-ModemCredential -SecTag 5 -Type Psk -Content $f.Psk -Detailed -Verbose -Debug
            Invoke-ModemCommand 'AT%CMNG=1' -Verbose -Debug
            """, debug: true);
        Assert.NotEmpty(r.Debug);
        Assert.Contains(r.Debug, d => d.Contains("AT%CMNG=0", StringComparison.Ordinal));
        RunChecked("Disconnect-Modem");
        string file = File.ReadAllText(transcript);
        Assert.Contains("> AT%CMNG=0,5,2,", file);
        Assert.Contains("< OK", file);
        string all = r.AllText + string.Join("\n", r.Errors.Select(e => e + " " + e.ErrorDetails?.Message + " " + e.ErrorDetails?.RecommendedAction + " " + e.Exception)) + "\n" + file;
        foreach (string secret in new[] { _files.Psk, TestCredentials.Passphrase, "wrong-passphrase" })
        {
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
        }

        // No fragment of the keys' base64 either (24 characters = 18 bytes of key material).
        foreach (string pem in new[] { _files.KeyPem, _files.EncryptedKeyPem })
        {
            string base64 = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
            for (int i = 0; i + 24 <= base64.Length; i += 8)
            {
                Assert.DoesNotContain(base64.Substring(i, 24), all, StringComparison.Ordinal);
            }
        }
    }

    [Trait("Pester", "explains line-ending differences")]
    [Fact]
    public void TestModemCredentialExplainsLineEndingDifferences()
    {
        StartSerialModem();
        RunChecked("Set-ModemCredential -SecTag 3 -Type RootCA -Path $f.CaFile -LineEnding CrLf");
        RunResult r = RunChecked("""
            $d = Test-ModemCredential -SecTag 3 -Type RootCA -Path $f.CaFile -Detailed
            $d.Match; $d.MatchedVariant; $d.ModemSha256 -ne $d.LocalSha256
            Test-ModemCredential -SecTag 3 -Type RootCA -Path $f.CaFile -LineEnding Lf
            Test-ModemCredential -SecTag 3 -Type RootCA -Path $f.CaCrLfFile -LineEnding Preserve
            (Test-ModemCredential -SecTag 4 -Type RootCA -Path $f.CaFile -Detailed).Present
            """);
        Assert.Equal(new object[] { true, "CrLf", true, false, true, false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void PlanRowsPipeInByPropertyName()
    {
        StartSerialModem();
        RunResult r = RunChecked("""
            $plan = @(
                [pscustomobject]@{ SecTag = '20'; Type = 'RootCA'; Path = $f.CaFile; Content = '' }
                [pscustomobject]@{ SecTag = '20'; Type = 'PskIdentity'; Path = ''; Content = $f.PskIdentity }
                [pscustomobject]@{ SecTag = '21'; Type = '1'; Path = $f.ClientFile; Content = '' }
                [pscustomobject]@{ SecTag = '21'; Type = 'Key'; Path = $f.KeyFile; Content = '' }
            )
            $plan | Set-ModemCredential -PassThru | ForEach-Object { "$($_.SecTag)/$($_.Type)/$($_.Status)" }
            $plan | Test-ModemCredential
            """);
        Assert.Equal(new[] { "20/RootCA/Written", "20/PskIdentity/Written", "21/ClientCertificate/Written", "21/ClientPrivateKey/Written", "True", "True", "True", "True" },
            r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void KeyAndCertificateThatDoNotBelongTogetherWarn()
    {
        StartSerialModem();
        RunResult r = RunChecked("""
            [pscustomobject]@{ SecTag = 30; Type = 'ClientCertificate'; Path = $f.ClientFile },
            [pscustomobject]@{ SecTag = 30; Type = 'ClientPrivateKey'; Path = $f.OtherKeyFile } | Set-ModemCredential
            """);
        Assert.Contains(r.Warnings, w => w.Contains("do not belong together"));
        RunResult expired = RunChecked("Set-ModemCredential -SecTag 31 -Type ClientCertificate -Path $f.ExpiredFile");
        Assert.Contains(expired.Warnings, w => w.Contains("expired", StringComparison.OrdinalIgnoreCase));
    }
}
