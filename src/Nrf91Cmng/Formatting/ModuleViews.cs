namespace Nrf91Cmng.Formatting
{
    /// <summary>
    /// The default view of every output type, defined in code (see <see cref="ViewRegistration"/> for
    /// why there is no format file). Rules: every table column has a fixed width and the columns add
    /// up to at most 79 characters, so a table reads the same in an 80-column console and in a
    /// 200-column one, and nothing wraps (a value longer than its column ends in an ellipsis; the
    /// object keeps the whole value). Values of known size get their size: IMEI 15, sec_tag 10,
    /// firmware names 18. Digests are cut to their first 16 hex digits. Long things (tokens,
    /// descriptions) go in list views. Labels are the property names, so what a column shows is
    /// what a script reads.
    /// </summary>
    internal static class ModuleViews
    {
        // Tables are at most 79 characters wide (TableView.Width; tests/Pester/Formatting.Tests.ps1
        // checks the output of every type at 80 and 200 columns).

        // Fixed widths shared by several views.
        private const int SecTag = 10;      // 4294967295
        private const int Imei = 15;
        private const int Firmware = 18;    // mfw_nrf9160_1.3.5, mfw_nrf91x1_2.0.2
        private const int PortName = 21;    // COM12, /dev/ttyACM0, tcp://127.0.0.1:45123
        private const int CredentialType = 23;  // DeviceIdentityPublicKey
        private const int UserCredentialType = 17;  // ClientCertificate: the types a plan or a test names
        private const int Digest = 17;      // 16 hex digits and the ellipsis

        // Windows PowerShell 5.1 runs these scripts too: no ternaries, no ??, no .NET Core APIs.
        private const string DateOnly = "if ($null -ne $_.NotAfter) { $_.NotAfter.ToString('yyyy-MM-dd') }";

        // Words wrapped into lines of at most 79 characters: the first line starts with $First, the
        // others with $Rest; a word longer than a line is cut. Windows PowerShell 5.1 syntax.
        private const string WrapFunction = @"
$width = 79
function Format-Wrapped([string] $Text, [string] $First, [string] $Rest) {
    $lines = New-Object System.Collections.Generic.List[string]
    $line = $First
    $empty = $true
    foreach ($word in (($Text -replace '\s+', ' ').Trim() -split ' ')) {
        while (($Rest.Length + $word.Length) -gt $width) {
            if (-not $empty) { $lines.Add($line); $line = $Rest; $empty = $true }
            $cut = $width - $Rest.Length
            $lines.Add($Rest + $word.Substring(0, $cut))
            $word = $word.Substring($cut)
        }
        if ($empty) { $line += $word; $empty = $false }
        elseif (($line.Length + 1 + $word.Length) -le $width) { $line += ' ' + $word }
        else { $lines.Add($line); $line = $Rest + $word }
    }
    if (-not $empty) { $lines.Add($line) }
    $lines
}
function Format-Check($Check, $Out) {
    $indent = ' ' * 17
    foreach ($l in (Format-Wrapped $Check.What ($Check.Id.PadRight(4) + $Check.Status.PadRight(13)) $indent)) { $Out.Add($l) }
    foreach ($l in (Format-Wrapped $Check.Reason $indent $indent)) { $Out.Add($l) }
    if ($Check.Remedy -and ($Check.Status -eq 'Fail' -or $Check.Status -eq 'Warn')) {
        foreach ($l in (Format-Wrapped ('Remedy: ' + $Check.Remedy) $indent $indent)) { $Out.Add($l) }
    }
}
";

        private const string ReadinessScript = WrapFunction + @"
$verdict = if ($_.Ready) { 'ready' } else { 'not ready' }
$head = 'sec_tag ' + $_.SecTag + ' on ' + $_.PortName + ': ' + $verdict
if ($_.Summary) { $head += ' (' + $_.Summary + ')' }
$out = New-Object System.Collections.Generic.List[string]
foreach ($l in (Format-Wrapped $head '' '    ')) { $out.Add($l) }
$out.Add('')
foreach ($check in $_.Checks) { Format-Check $check $out }
$out -join [Environment]::NewLine
";

        private const string CheckScript = WrapFunction + @"
$out = New-Object System.Collections.Generic.List[string]
Format-Check $_ $out
$out -join [Environment]::NewLine
";

        /// <summary>Every view, grouped per type in the order PowerShell should try them (the first is the default).</summary>
        public static IReadOnlyList<ExtendedTypeDefinition> Create()
        {
            var tables = new List<TableView>
            {
                // The default session (the one commands without -Session use) is marked with a star.
                TableView.For("Nrf91Cmng.ModemSession")
                    .Script("Id", 4, "if ($_.IsDefault) { '' + $_.Id + '*' } else { '' + $_.Id }", alignment: Alignment.Right)
                    .Property("Name", 8)
                    .Property("PortName", PortName)
                    .Property("Imei", Imei)
                    .Property("Firmware", Firmware - 1)
                    .Property("Connected", 9),

                // What a listing knows: where, what and its digest. Status is what a write did
                // (Set-/Remove-ModemCredential -PassThru); a listed entry is Stored, or ModemOwned.
                TableView.For("Nrf91Cmng.ModemCredential")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("Type", CredentialType)
                    .Property("Sha256", Digest)
                    .Script("Status", 10, "if ($null -ne $_.Status) { $_.Status } elseif ($_.IsModemOwned) { 'ModemOwned' } else { 'Stored' }"),

                // Get-ModemCredential -IncludeContent | Format-Table -View Content
                TableView.For("Nrf91Cmng.ModemCredential", "Content")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("Type", UserCredentialType)
                    .Property("Subject", 39)
                    .Script("NotAfter", 10, DateOnly),

                TableView.For("Nrf91Cmng.ModemCredentialTest")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("Type", UserCredentialType)
                    .Property("Match", 5)
                    .Property("Present", 7)
                    .Property("MatchedVariant", 25)
                    .Property("ComparedBy", 10),

                TableView.For("Nrf91Cmng.ModemPublicKey")
                    .Property("SecTag", 6, alignment: Alignment.Right)
                    .Property("Algorithm", 9)
                    .Property("Curve", 7)
                    .Property("KeySize", 7, alignment: Alignment.Right)
                    .Property("Fingerprint", Digest)
                    .Property("Source", 28),

                TableView.For("Nrf91Cmng.ModemKeyResult")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("KeyType", 16)
                    .Property("Output", 9)
                    .Property("DigestValid", 11)
                    .Property("Sha256", Digest),

                TableView.For("Nrf91Cmng.ModemClientCertificate")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("Subject", 39)    // CN=<device UUID>
                    .Property("Issuer", 17)
                    .Script("NotAfter", 10, DateOnly),

                // Response lines each on a row of their own (a line longer than the column continues
                // on the next row); the whole text is in Lines and Text.
                TableView.For("Nrf91Cmng.ModemResponse")
                    .Property("Command", 18)
                    .Property("Result", 8)
                    .Property("ErrorCode", 9, alignment: Alignment.Right)
                    .Script("Duration", 8, "[string][int]$_.Duration.TotalMilliseconds + ' ms'", Alignment.Right)
                    .Script("Lines", 32, "$_.Lines -join \"`n\"")
                    .Wrapped(),

                TableView.For("Nrf91Cmng.ModemFunctionalMode")
                    .Property("Mode", 4, alignment: Alignment.Right)
                    .Property("Name", 15)
                    .Property("IsLteActive", 11)
                    .Property("PortName", PortName),

                // Find-Modem -Probe fills Imei, or says why the port did not answer.
                TableView.For("Nrf91Cmng.ModemPort")
                    .Property("PortName", PortName)
                    .Property("Board", 16)
                    .Property("IsAtPort", 8)
                    .Property("SerialNumber", 15)
                    .Script("Imei", Imei, "if ($_.Responds) { $_.Imei } elseif ($false -eq $_.Responds) { '(no answer)' } elseif ($_.ProbeNote) { '(' + $_.ProbeNote + ')' }"),

                TableView.For("Nrf91Cmng.ModemSimulator")
                    .Property("Id", 3, alignment: Alignment.Right)
                    .Script("PortName", PortName, "if ($_.PortName) { $_.PortName } else { $_.Transport }")
                    .Property("Firmware", Firmware)
                    .Property("Imei", Imei)
                    .Property("Running", 7)
                    .Property("BaudRate", 8, alignment: Alignment.Right),

                TableView.For("Nrf91Cmng.ProvisioningResult")
                    .Property("PortName", PortName)
                    .Property("Imei", Imei)
                    .Property("Status", 11)
                    .Property("WrittenCount", 7, "Written", Alignment.Right)
                    .Script("Duration", 8, "$_.Duration.TotalSeconds.ToString('0.0') + ' s'", Alignment.Right)
                    .Property("ErrorId", 12),

                // Status holds up to KeyCertificateMismatch whole; a failed entry's message is in the
                // error stream and in Error, where 9 columns of it would tell nothing.
                TableView.For("Nrf91Cmng.ProvisioningEntryResult")
                    .Property("SecTag", SecTag, alignment: Alignment.Right)
                    .Property("Type", UserCredentialType)
                    .Property("Status", 22)
                    .Property("Sha256", Digest),
            };

            var lists = new List<ListView>
            {
                ListView.For("Nrf91Cmng.ModemInfo")
                    .Property("Imei")
                    .Property("Model")
                    .Property("Firmware")
                    .Property("Manufacturer")
                    .Property("DeviceUuid")
                    .Script("FunctionalMode", "$_.FunctionalModeName + ' (' + $_.FunctionalMode + ')'")
                    .Property("PortName"),

                // The token is hundreds of characters: its start identifies it; the whole is in Token.
                ListView.For("Nrf91Cmng.ModemAttestationToken")
                    .Property("Imei")
                    .Property("DeviceUuid")
                    .Property("DeviceType")
                    .Property("FirmwareUuid")
                    .Property("Nonce")
                    .Script("Token", "if ($_.Token.Length -gt 48) { $_.Token.Substring(0, 45) + '...' } else { $_.Token }"),
            };

            lists.Add(ListView.For("Nrf91Cmng.OnboardingExport")
                .Property("Format")
                .Property("Path")
                .Script("Files", "$_.Files -join [Environment]::NewLine")
                .Property("Rows")
                .Property("DeviceCount")
                .Property("ReplacedCount"));

            // Test-ModemSecTag: a report, not rows: the verdict, then each check with its reason
            // and, for failures and warnings, the remedy, wrapped at 79 columns.
            var customs = new List<CustomView>
            {
                CustomView.For("Nrf91Cmng.SecTagReadiness", ReadinessScript),
                CustomView.For("Nrf91Cmng.SecTagCheck", CheckScript),
            };

            var views = new List<(string TypeName, FormatViewDefinition View)>();
            views.AddRange(tables.Select(t => (t.TypeName, t.Build())));
            views.AddRange(lists.Select(l => (l.TypeName, l.Build())));
            views.AddRange(customs.Select(c => (c.TypeName, c.Build())));
            return views
                .GroupBy(v => v.TypeName)
                .Select(g => new ExtendedTypeDefinition(g.Key, g.Select(v => v.View).ToList()))
                .ToList();
        }
    }
}
