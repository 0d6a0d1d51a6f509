using System.Management.Automation;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Keys;

/// <summary>Issue 5's "done when": public keys, on-modem keys and CSRs, CA signing and attestation through the cmdlets.</summary>
[Collection("Hosted")]
public sealed class KeyCmdletTests : IClassFixture<TestCredentials>, IDisposable
{
    private readonly PowerShellHarness _ps = new();
    private readonly Dictionary<string, object?> _vars;

    public KeyCmdletTests(TestCredentials files)
    {
        _vars = new Dictionary<string, object?> { ["f"] = files };
    }

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private RunResult Run(string script) => _ps.Run(script, _vars);

    private RunResult RunChecked(string script) => _ps.RunChecked(script, _vars);

    private void StartSerialModem(string firmware)
    {
        string transport = OperatingSystem.IsWindows() ? "Tcp" : "PseudoTerminal";
        RunChecked($"$sim = Start-ModemSimulator -Transport {transport} -Firmware {firmware}; $session = $sim | Connect-Modem -Handshake None");
    }

    [Trait("Pester", "reads the factory public key and explains 519")]
    [Fact]
    public void TheSeedScenarioFactoryKeyIsReadAsAnObjectAndAnotherKeyExplains519()
    {
        RunChecked("$session = Connect-Modem -Simulator -Firmware mfw_nrf9160_0.7.0");
        RunResult key = RunChecked("$k = Get-ModemPublicKey; $k.Algorithm; $k.Curve; $k.Pem -eq [Text.Encoding]::ASCII.GetString($session.Simulator.Modem.GetStoredBytes(0, 5)); $k.Fingerprint.Length; $k.Source");
        Assert.Equal(new object[] { "EC", "P-256", true, 64, "AT%XPMNG=2" }, key.Output.Select(o => o.BaseObject));

        RunResult write = Run("Set-ModemPublicKey -Path $f.PublicKeyFile -Confirm:$false");
        ErrorRecord error = Assert.Single(write.Errors);
        Assert.StartsWith("ModemCmeError519", error.FullyQualifiedErrorId);
        Assert.Contains("already exists", error.ToString());
        Assert.Contains("Remove-ModemCredential", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void AFreeSlotTakesANewPublicKeyAndReadsItBack()
    {
        RunChecked("$session = Connect-Modem -Simulator -Firmware mfw_nrf9160_0.7.0");
        RunResult r = RunChecked("Set-ModemPublicKey -SecTag 3 -Path $f.PublicKeyFile -Confirm:$false -PassThru | ForEach-Object Fingerprint; (Get-ModemPublicKey -SecTag 3).Fingerprint");
        Assert.Equal(r.Output[0].ToString(), r.Output[1].ToString());
    }

    [Fact]
    public void FirmwareWithoutKeyGenerationSaysSo()
    {
        RunChecked("$session = Connect-Modem -Simulator -Firmware mfw_nrf9160_0.7.0");
        RunResult r = Run("New-ModemKey -SecTag 42 -Force");
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ModemKeyGenerationUnsupported", error.FullyQualifiedErrorId);
        Assert.Contains("mfw_nrf9160_0.7.0", error.ToString());
        Assert.Empty(RunChecked("$session.Simulator.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%KEYGEN*' }").Output);
    }

    [Trait("Pester", "provisions an on-modem key with a CA-signed certificate in one pipeline")]
    [Theory]
    [InlineData("mfw_nrf9160_1.3.5")]
    [InlineData("mfw_nrf9160_1.3.7")]
    [InlineData("mfw_nrf91x1_2.0.2")]
    public void OnePipelineProvisionsAnOnModemKeyAndTheCertificateSignedForIt(string firmware)
    {
        StartSerialModem(firmware);
        RunResult r = RunChecked("""
            $key = New-ModemKey -SecTag 42 -Output Csr -Force
            $cert = $key | New-ModemClientCertificate -CACertificate $f.CaFile -CAKey $f.CaKeyFile
            $written = $cert | Set-ModemCredential -SecTag 42 -Type ClientCertificate -PassThru
            Set-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile
            $key.DigestValid
            $key.Subject -eq "CN=$($sim.DeviceUuid)"
            $cert.Issuer -like '*Nrf91Cmng Test Root CA*'
            $written.Status
            Test-ModemCredential -SecTag 42 -Type ClientCertificate -Content $cert.Content
            Test-ModemCredential -SecTag 42 -Type RootCA -Path $f.CaFile
            @(Get-ModemCredential -SecTag 42 | ForEach-Object { "$($_.Type)" }) -join ','
            @($sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=0,42,2*' -or $_ -like 'AT%CMNG=2,42,2*' }).Count
            @($sim.Modem.Credentials | Where-Object { $_.SecTag -eq 42 -and $_.Type -eq 2 } | ForEach-Object { "$($_.Origin)" }) -join ','
            """);
        Assert.Equal(new object[] { true, true, true, "Written", true, true, "RootCA,ClientCertificate,ClientPrivateKey", 0, "Generated" },
            r.Output.Select(o => o.BaseObject is Enum e ? e.ToString() : o.BaseObject));
    }

    [Fact]
    public void TheCertificatePublicKeyIsTheGeneratedKey()
    {
        RunChecked("$session = Connect-Modem -Simulator -Firmware mfw_nrf9160_1.3.7");
        RunResult r = RunChecked("""
            $key = New-ModemKey -SecTag 7 -Force -Subject 'CN=nrf-test-7,O=Example' -KeyUsage DigitalSignature, KeyAgreement
            $cert = New-ModemClientCertificate -Csr $key -CACertificate $f.CaFile -CAKey $f.EncryptedCaKeyFile -CAKeyPassphrase $f.SecurePassphrase -ValidityDays 30 -SerialNumber 0x1234
            $key.Subject
            $cert.Subject
            $cert.SerialNumber
            [int]($cert.NotAfter - $cert.NotBefore).TotalDays
            $x = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Text.Encoding]::ASCII.GetBytes($cert.Content))
            $pub = [System.Security.Cryptography.ECDsa]::Create(); $pub.ImportFromPem($key.PublicKeyPem)
            [Convert]::ToBase64String($x.PublicKey.ExportSubjectPublicKeyInfo()) -eq [Convert]::ToBase64String($pub.ExportSubjectPublicKeyInfo())
            ($session.Simulator.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%KEYGEN*' })
            """);
        Assert.Equal(new[] { "CN=nrf-test-7", "O=Example" }, r.Output[0].ToString().Split(',').Select(p => p.Trim()).Order());
        Assert.Contains("CN=nrf-test-7", r.Output[1].ToString());
        Assert.Equal("1234", r.Output[2].ToString().TrimStart('0'));
        Assert.Equal(30, (int)r.Output[3].BaseObject);
        Assert.True((bool)r.Output[4].BaseObject);
        Assert.Equal("AT%KEYGEN=7,2,0,\"CN=nrf-test-7,O=Example\",\"100010000\"", r.Output[5].ToString());
    }

    [Fact]
    public void AKeygenReplyWhoseSignedDigestDoesNotMatchIsFlagged()
    {
        RunChecked("$session = Connect-Modem -Simulator -Firmware mfw_nrf9160_1.3.5");
        RunResult r = RunChecked("$null = $session.Simulator.Modem.Faults.TamperSignedDigest(); $k = New-ModemKey -SecTag 9 -Force; $k.DigestValid");
        Assert.False((bool)r.Output.Last().BaseObject);
        Assert.Contains(r.Warnings, w => w.Contains("does not match", StringComparison.Ordinal));
    }

    [Fact]
    public void AnActiveModemIsSwitchedOfflineForKeyGenerationOnlyWithForceAndRestored()
    {
        RunChecked("$session = Connect-Modem -Simulator; Set-ModemFunctionalMode -Mode Normal -Confirm:$false");
        RunResult declined = Run("New-ModemKey -SecTag 5 -Confirm:$false");
        Assert.StartsWith("ModemFunctionalModeActive", Assert.Single(declined.Errors).FullyQualifiedErrorId);
        RunResult forced = RunChecked("$null = New-ModemKey -SecTag 5 -Force; (Get-ModemFunctionalMode).Mode");
        Assert.Equal(1, (int)forced.Output.Last().BaseObject);
    }

    [Trait("Pester", "decodes the attestation token")]
    [Theory]
    [InlineData("mfw_nrf9160_1.3.5", "nRF9160 SIAA")]
    [InlineData("mfw_nrf91x1_2.0.2", "nRF9161 LACA")]
    public void AttestationTokenDecodesToTheDeviceIdentity(string firmware, string deviceType)
    {
        RunChecked($"$session = Connect-Modem -Simulator -Firmware {firmware}");
        RunResult r = RunChecked("$t = Get-ModemAttestationToken; $t.DeviceUuid -eq $session.Simulator.DeviceUuid; $t.DeviceType; $t.Token.Split('.').Count; (Get-ModemInfo).DeviceUuid -eq $session.Simulator.DeviceUuid.ToString()");
        Assert.True((bool)r.Output[0].BaseObject);
        Assert.Equal(deviceType, r.Output[1].ToString());
        Assert.Equal(2, (int)r.Output[2].BaseObject);
        Assert.True((bool)r.Output[3].BaseObject);
    }

    [Fact]
    public void BadKeyArgumentsAreRefusedBeforeAnythingIsSent()
    {
        RunChecked("$session = Connect-Modem -Simulator");
        foreach ((string command, string id) in new[]
        {
            ("New-ModemKey -SecTag 1 -Force -Subject 'CN=\"x\"'", "ModemKeyGenerationArgumentInvalid"),
            ("New-ModemKey -SecTag 1 -Force -KeyUsage Bogus", "ModemKeyGenerationArgumentInvalid"),
            ("New-ModemKey -SecTag 4294967295 -Force", "CredentialSecTagModemOwned"),
            ("Get-ModemAttestationToken -Challenge 1234", "ModemAttestationChallengeInvalid"),
            ("New-ModemClientCertificate -Csr $f.CaFile -CACertificate $f.CaFile -CAKey $f.CaKeyFile", "PemWrongType"),
            ("New-ModemClientCertificate -Csr 'missing.csr' -CACertificate $f.CaFile -CAKey $f.CaKeyFile", "CredentialFileNotFound"),
        })
        {
            int before = (int)RunChecked("$session.Simulator.Modem.ReceivedCommands.Count").Single().BaseObject;
            RunResult r = Run(command);
            Assert.StartsWith(id + ",", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Equal(before, (int)RunChecked("$session.Simulator.Modem.ReceivedCommands.Count").Single().BaseObject);
        }
    }
}
