#Requires -Version 7.2
<#
.SYNOPSIS
    Builds the module's MAML help (src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml) from the cmdlets.

.DESCRIPTION
    A build step (./build.ps1 -Help runs it in a child pwsh): the syntax, parameter sets, types,
    positions, pipeline input, aliases, valid values and defaults come from the built cmdlets
    themselves, so they cannot drift from Get-Command -Syntax; synopses and parameter descriptions
    from their XML documentation; descriptions, examples, notes and links from docs/help/*.md.
    Switches are shown as switches, -WhatIf and -Confirm where a cmdlet supports them, and every
    cmdlet links to its page (its HelpUri, which Get-Help -Online opens).

    The file is committed (as ThreadJob does), so help works without a build; the Pester suite
    fails when it is stale (tests/Pester/Help.Tests.ps1).

.PARAMETER ModuleManifest
    The built module to document (default out/Nrf91Cmng/Nrf91Cmng.psd1).

.PARAMETER OutFile
    Where to write the MAML (default the committed file).
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/Nrf91Cmng/Nrf91Cmng.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot '../src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$docsFolder = Join-Path $root 'docs/help'
$xmlDocFile = Get-ChildItem (Join-Path $root 'src/Nrf91Cmng/bin') -Recurse -Filter Nrf91Cmng.xml | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
if (-not $xmlDocFile) { throw 'Build the module first: src/Nrf91Cmng/bin/**/Nrf91Cmng.xml (its XML documentation) is missing.' }
[xml] $xmlDocs = Get-Content -Raw $xmlDocFile.FullName
$docMembers = @{}
foreach ($member in $xmlDocs.doc.members.member) { $docMembers[$member.name] = $member }

Import-Module $ModuleManifest -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + 'ProgressAction'

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Get-DocSummary([string] $Member) {
    $node = $docMembers[$Member]
    if (-not $node -or -not $node.summary) { return $null }
    $summary = $node.SelectSingleNode('summary')
    $para = $summary.SelectSingleNode("para[@type='synopsis']")
    $source = if ($para) { $para } else { $summary }
    $text = ($source.ChildNodes | ForEach-Object {
            if ($_.NodeType -eq 'Element' -and $_.Attributes['cref']) { $_.Attributes['cref'].Value.Split('.')[-1] } else { $_.InnerText }
        }) -join ''
    ([System.Net.WebUtility]::HtmlDecode($text) -replace '\s+', ' ').Trim()
}

function Read-HelpSource([string] $Name) {
    $file = Join-Path $docsFolder "$Name.md"
    $source = @{ Synopsis = $null; Description = ''; Examples = @(); Notes = ''; Links = @() }
    if (-not (Test-Path $file)) { return $source }
    $text = (Get-Content -Raw $file) -replace "`r`n", "`n"
    foreach ($section in ($text -split '(?m)^## ') | Select-Object -Skip 1) {
        $head = $section.Substring(0, $section.IndexOf("`n")).Trim().ToUpperInvariant()
        $body = $section.Substring($section.IndexOf("`n") + 1).Trim()
        switch ($head) {
            'SYNOPSIS' { $source.Synopsis = $body }
            'DESCRIPTION' { $source.Description = $body }
            'NOTES' { $source.Notes = $body }
            'RELATED LINKS' { $source.Links = @($body -split "`n" | ForEach-Object { $_.Trim().TrimStart('-', '*').Trim() } | Where-Object { $_ }) }
            'EXAMPLES' {
                $source.Examples = @(foreach ($block in ($body -split '(?m)^### ') | Select-Object -Skip 1) {
                        $title = $block.Substring(0, $block.IndexOf("`n")).Trim()
                        $code = [regex]::Match($block, '```powershell\n(?<code>.*?)\n```', 'Singleline')
                        [pscustomobject]@{ Title = $title; Code = $code.Groups['code'].Value; Remarks = $block.Substring($code.Index + $code.Length).Trim() }
                    })
            }
        }
    }
    $source
}

function Add-Paragraphs($Writer, [string] $Text) {
    foreach ($p in ($Text.Trim() -split '\n\s*\n')) {
        if ($p.Trim()) { $Writer.WriteElementString('maml', 'para', $maml, ($p.Trim() -replace '\n(?![-*] )', ' ')) }
    }
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [switch]) { return 'SwitchParameter' }
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType()) + '[]' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return $underlying.Name }
    $Type.Name
}

function Get-DefaultValue($Instance, [System.Management.Automation.ParameterMetadata] $Parameter) {
    if ($Parameter.ParameterType -eq [switch]) { return 'False' }
    $property = $Instance.GetType().GetProperty($Parameter.Name)
    if (-not $property -or -not $Instance) { return 'None' }
    $value = $property.GetValue($Instance)
    if ($null -eq $value) { return 'None' }
    if ($value -is [array]) { if ($value.Count -eq 0) { return 'None' } return ($value -join ', ') }
    if ($value -is [string] -and $value -eq '') { return 'None' }
    if ($value -is [ValueType] -and $value -eq [Activator]::CreateInstance($value.GetType()) -and $value -isnot [bool] -and $value -isnot [enum]) { return 'None' }
    [string]::Format([Globalization.CultureInfo]::InvariantCulture, '{0}', $value)
}

function Write-Parameter($Writer, $Cmdlet, $Instance, [System.Management.Automation.ParameterMetadata] $Parameter, $InSet) {
    $sets = @($Parameter.ParameterSets.Values)
    $required = if ($InSet) { $InSet.IsMandatory } else { @($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0 }
    $position = if ($InSet) { $InSet.Position } else { $sets[0].Position }
    $byValue = if ($InSet) { $InSet.ValueFromPipeline } else { [bool]($sets | Where-Object ValueFromPipeline) }
    $byName = if ($InSet) { $InSet.ValueFromPipelineByPropertyName } else { [bool]($sets | Where-Object ValueFromPipelineByPropertyName) }
    $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $isSwitch = $Parameter.ParameterType -eq [switch]
    $typeName = Get-TypeName $Parameter.ParameterType
    $Writer.WriteStartElement('command', 'parameter', $command)
    $Writer.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', 'false')
    $Writer.WriteAttributeString('pipelineInput', $pipeline)
    $Writer.WriteAttributeString('position', $(if ($position -lt 0) { 'named' } else { [string]$position }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    $Writer.WriteStartElement('maml', 'description', $maml)
    $description = switch ($Parameter.Name) {
        'WhatIf' { 'Shows what would happen if the cmdlet runs. The cmdlet is not run.' }
        'Confirm' { 'Prompts you for confirmation before running the cmdlet.' }
        default {
            $property = $Cmdlet.ImplementingType.GetProperty($Parameter.Name)
            if ($property) { Get-DocSummary ('P:' + $property.DeclaringType.FullName + '.' + $property.Name) }
        }
    }
    $Writer.WriteElementString('maml', 'para', $maml, [string]$description)
    $Writer.WriteEndElement()
    $validValues = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
    if (-not $isSwitch) {
        if ($validValues.Count) {
            $Writer.WriteStartElement('command', 'parameterValueGroup', $command)
            foreach ($v in $validValues) {
                $Writer.WriteStartElement('command', 'parameterValue', $command)
                $Writer.WriteAttributeString('required', 'false')
                $Writer.WriteAttributeString('variableLength', 'false')
                $Writer.WriteString($v)
                $Writer.WriteEndElement()
            }
            $Writer.WriteEndElement()
        }
        $Writer.WriteStartElement('command', 'parameterValue', $command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $dev)
    $Writer.WriteElementString('maml', 'name', $maml, $typeName)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $dev, $(if ($Parameter.Name -in 'WhatIf', 'Confirm') { 'False' } else { Get-DefaultValue $Instance $Parameter }))
    $Writer.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; NewLineChars = "`n"; Encoding = [System.Text.UTF8Encoding]::new($false) }
$buffer = [System.IO.MemoryStream]::new()
$writer = [System.Xml.XmlWriter]::Create($buffer, $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems')
$writer.WriteAttributeString('schema', 'maml')
$writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
$writer.WriteAttributeString('xmlns', 'command', $null, $command)
$writer.WriteAttributeString('xmlns', 'dev', $null, $dev)

foreach ($cmdlet in Get-Command -Module Nrf91Cmng -CommandType Cmdlet | Sort-Object Name) {
    $source = Read-HelpSource $cmdlet.Name
    $instance = [Activator]::CreateInstance($cmdlet.ImplementingType)
    $synopsis = if ($source.Synopsis) { $source.Synopsis } else { Get-DocSummary ('T:' + $cmdlet.ImplementingType.FullName) }
    $parameters = @($cmdlet.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name)

    $writer.WriteStartElement('command', 'command', $command)
    $writer.WriteStartElement('command', 'details', $command)
    $writer.WriteElementString('command', 'name', $command, $cmdlet.Name)
    $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $synopsis; $writer.WriteEndElement()
    $writer.WriteElementString('command', 'verb', $command, $cmdlet.Verb)
    $writer.WriteElementString('command', 'noun', $command, $cmdlet.Noun)
    $writer.WriteEndElement()
    $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $source.Description; $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmdlet.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $command)
        $writer.WriteElementString('maml', 'name', $maml, $cmdlet.Name)
        # Positional parameters first, in position order, then the rest as Get-Command -Syntax lists them.
        $inSet = @($set.Parameters | Where-Object { $_.Name -notin $common })
        foreach ($p in @($inSet | Where-Object { $_.Position -ge 0 } | Sort-Object Position) + @($inSet | Where-Object { $_.Position -lt 0 })) {
            Write-Parameter $writer $cmdlet $instance $cmdlet.Parameters[$p.Name] $p
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $command)
    foreach ($p in $parameters) { Write-Parameter $writer $cmdlet $instance $p $null }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'inputTypes', $command)
    $inputs = @(foreach ($p in $parameters | Where-Object { $_.ParameterSets.Values.ValueFromPipeline -contains $true }) {
            @{ Type = (Get-TypeName $p.ParameterType).TrimEnd('[', ']'); Why = "Bound to -$($p.Name) from the pipeline." }
        })
    $byName = @($parameters | Where-Object { $_.ParameterSets.Values.ValueFromPipelineByPropertyName -contains $true -and $_.ParameterSets.Values.ValueFromPipeline -notcontains $true } | ForEach-Object Name)
    if ($byName.Count) { $inputs += @{ Type = 'System.Management.Automation.PSObject'; Why = "Objects with the properties $($byName -join ', ') (Import-Csv rows, output of other Nrf91Cmng cmdlets) bind by property name." } }
    if (-not $inputs.Count) { $inputs = @(@{ Type = 'None'; Why = 'This cmdlet takes no pipeline input.' }) }
    foreach ($i in $inputs) {
        $writer.WriteStartElement('command', 'inputType', $command)
        $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, $i.Type); $writer.WriteEndElement()
        $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $i.Why; $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'returnValues', $command)
    foreach ($o in $cmdlet.OutputType) {
        $writer.WriteStartElement('command', 'returnValue', $command)
        $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, $o.Name); $writer.WriteEndElement()
        $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer ([string](Get-DocSummary ('T:' + $o.Name))); $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('maml', 'alertSet', $maml); $writer.WriteStartElement('maml', 'alert', $maml); Add-Paragraphs $writer $source.Notes; $writer.WriteEndElement(); $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'examples', $command)
    $n = 0
    foreach ($e in $source.Examples) {
        $n++
        $writer.WriteStartElement('command', 'example', $command)
        $writer.WriteElementString('maml', 'title', $maml, "-------------------------- Example ${n}: $($e.Title) --------------------------")
        $writer.WriteElementString('dev', 'code', $dev, $e.Code)
        $writer.WriteStartElement('dev', 'remarks', $dev); Add-Paragraphs $writer $e.Remarks; $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $command)
    $links = @(@{ Text = 'Online Version:'; Uri = $cmdlet.HelpUri }) + @($source.Links | ForEach-Object { @{ Text = $_; Uri = $(if ($_ -like 'http*') { $_ } else { '' }) } })
    foreach ($l in $links) {
        $writer.WriteStartElement('maml', 'navigationLink', $maml)
        $writer.WriteElementString('maml', 'linkText', $maml, $l.Text)
        $writer.WriteElementString('maml', 'uri', $maml, [string]$l.Uri)
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}

$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Flush()
$text = [System.Text.Encoding]::UTF8.GetString($buffer.ToArray()) + "`n"
$writer.Dispose()
[System.IO.File]::WriteAllText($OutFile, $text, [System.Text.UTF8Encoding]::new($false))
Write-Verbose "Help written to $OutFile"
