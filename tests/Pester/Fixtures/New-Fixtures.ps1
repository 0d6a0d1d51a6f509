#Requires -Version 7.2
<#
.SYNOPSIS
    Regenerates the committed test credentials in this folder (test-only keys: never use them
    for anything else). The Pester suite reads these files instead of making keys at run time, so
    it runs unchanged in Windows PowerShell 5.1, which lacks the .NET 7 PEM export APIs.
    Validity is fixed (2025-01-01 .. 2124-12-31) so the files do not expire; expired.pem and
    notyet.pem are deliberately outside it.
#>
[CmdletBinding()]
param([string] $Path = $PSScriptRoot)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$passphrase = 'correct horse 42'
$from = [DateTimeOffset]::new(2025, 1, 1, 0, 0, 0, [TimeSpan]::Zero)
$until = [DateTimeOffset]::new(2124, 12, 31, 0, 0, 0, [TimeSpan]::Zero)
$pbe = [Security.Cryptography.PbeParameters]::new('Aes256Cbc', 'SHA256', 10000)
$X509 = 'Security.Cryptography.X509Certificates'

function Save([string] $Name, [string] $Text) {
    [IO.File]::WriteAllText((Join-Path $Path $Name), $Text, [Text.UTF8Encoding]::new($false))
}

$caKey = [Security.Cryptography.RSA]::Create(2048)
$caRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Nrf91Cmng Test Root CA, O=Nrf91Cmng Tests', $caKey, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
$caRequest.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
$caRequest.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
$ca = $caRequest.CreateSelfSigned($from, $until)
$caPem = $ca.ExportCertificatePem() + "`n"
Save 'ca.pem' $caPem
Save 'ca-crlf.pem' $caPem.Replace("`n", "`r`n")
Save 'ca.key' ($caKey.ExportPkcs8PrivateKeyPem() + "`n")
Save 'ca-encrypted.key' ($caKey.ExportEncryptedPkcs8PrivateKeyPem($passphrase, $pbe) + "`n")
[IO.File]::WriteAllBytes((Join-Path $Path 'ca.der'), $ca.RawData)

$intermediateKey = [Security.Cryptography.RSA]::Create(2048)
$intermediateRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Nrf91Cmng Test Intermediate', $intermediateKey, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
$intermediateRequest.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
$intermediate = $intermediateRequest.Create($ca, $from, $until, [byte[]](2))
Save 'chain.pem' ($intermediate.ExportCertificatePem() + "`n" + $caPem)

$signer = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForRSA($caKey, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
$clientKey = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
$clientRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=device-0001, O=Nrf91Cmng Tests', $clientKey, 'SHA256')
$client = $clientRequest.Create($ca.SubjectName, $signer, $from, $until, [byte[]](3))
Save 'client.pem' ($client.ExportCertificatePem() + "`n")
$keyPem = $clientKey.ExportPkcs8PrivateKeyPem() + "`n"
Save 'client.key' $keyPem
Save 'client-sec1.key' ($clientKey.ExportECPrivateKeyPem() + "`n")
Save 'client-encrypted.key' ($clientKey.ExportEncryptedPkcs8PrivateKeyPem($passphrase, $pbe) + "`n")
# The same key as one line (armour and base64 together), as some tools and copy-pastes leave it.
$body = ($keyPem -split "`n" | Where-Object { $_ -and $_ -notmatch '^-----' }) -join ''
Save 'client-oneline.key' ("-----BEGIN PRIVATE KEY-----$body-----END PRIVATE KEY-----`n")

$expired = $clientRequest.Create($ca.SubjectName, $signer, [DateTimeOffset]::new(2020, 1, 1, 0, 0, 0, [TimeSpan]::Zero), [DateTimeOffset]::new(2021, 1, 1, 0, 0, 0, [TimeSpan]::Zero), [byte[]](4))
Save 'expired.pem' ($expired.ExportCertificatePem() + "`n")
$notYet = $clientRequest.Create($ca.SubjectName, $signer, [DateTimeOffset]::new(2124, 1, 1, 0, 0, 0, [TimeSpan]::Zero), $until, [byte[]](5))
Save 'notyet.pem' ($notYet.ExportCertificatePem() + "`n")

$otherKey = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
Save 'other.key' ($otherKey.ExportPkcs8PrivateKeyPem() + "`n")
Save 'public.pem' ($otherKey.ExportSubjectPublicKeyInfoPem() + "`n")

$many = [Text.StringBuilder]::new()
while ($many.Length -lt 5000) { [void] $many.Append($caPem) }
Save 'long.pem' $many.ToString()
Save 'quote.pem' $caPem.Insert($caPem.IndexOf("`n") + 5, '"')
Save 'garbage.pem' "-----BEGIN CERTIFICATE-----`nTUlJQkdhcmJhZ2VHYXJiYWdl`n-----END CERTIFICATE-----`n"
Save 'empty.pem' ''
Save 'psk.txt' "2B7E151628AED2A6ABF7158809CF4F3C`n"
Save 'passphrase.txt' "$passphrase`n"
