namespace Nrf91Cmng
{
    /// <summary>What Export-ModemOnboarding (or Invoke-ModemProvisioning -OnboardingPath) wrote: the file set, its rows, the devices of this call.</summary>
    public sealed class OnboardingExport
    {
        /// <summary>NrfCloud, NrfCloudClaim, AwsIot or AzureDps.</summary>
        public string Format { get; internal set; } = string.Empty;

        /// <summary>The file asked for (the first file of the set).</summary>
        public string Path { get; internal set; } = string.Empty;

        /// <summary>Every file of the set (exported one per line): the path, then &lt;name&gt;-2&lt;ext&gt;, ... where rows beyond a file's limit went (nRF Cloud: 1,000 rows; Azure DPS bulk: 10 enrollments).</summary>
        public TextLines Files { get; internal set; } = new TextLines(Array.Empty<string>());

        /// <summary>The files whose bytes changed (new or rewritten); none with -WhatIf.</summary>
        public TextLines Written { get; internal set; } = new TextLines(Array.Empty<string>());

        /// <summary>Rows in the whole set, earlier rows included.</summary>
        public int Rows { get; internal set; }

        /// <summary>Devices of this call.</summary>
        public int DeviceCount { get; internal set; }

        /// <summary>Devices of this call that replaced an existing row (-Replace).</summary>
        public int ReplacedCount { get; internal set; }

        /// <summary>The device IDs of this call, in input order (the UUID for claim rows).</summary>
        public TextLines DeviceIds { get; internal set; } = new TextLines(Array.Empty<string>());

        /// <summary>What was also written to the warning stream.</summary>
        public TextLines Warnings { get; internal set; } = new TextLines(Array.Empty<string>());

        /// <inheritdoc />
        public override string ToString() => Path + " (" + Format + ", " + Rows.ToString(CultureInfo.InvariantCulture) + " rows)";
    }
}
