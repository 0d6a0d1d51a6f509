namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>One credential to put on a modem: validated content, exactly the bytes to send.</summary>
    public sealed class InstallItem
    {
        /// <summary>Creates an item; <paramref name="content"/> is sent as is and hashed as is.</summary>
        public InstallItem(uint secTag, CredentialType type, string content, string? passphrase, string description)
        {
            SecTag = secTag;
            Type = type;
            Content = content ?? throw new ArgumentNullException(nameof(content));
            Passphrase = passphrase;
            Description = description;
            Sha256 = CredentialContent.ComputeDigest(content);
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The type.</summary>
        public CredentialType Type { get; }

        /// <summary>The exact text between the quotes of <c>AT%CMNG=0</c>.</summary>
        public string Content { get; }

        /// <summary>PKCS#8 passphrase for an encrypted key, or null.</summary>
        public string? Passphrase { get; }

        /// <summary>Where the content came from, for messages (a file name, "-Content").</summary>
        public string Description { get; }

        /// <summary>Uppercase SHA-256 of <see cref="Content"/> as sent (what the AT console stores).</summary>
        public string Sha256 { get; }

        /// <summary>"root CA certificate at sec_tag 42".</summary>
        public string Target => CredentialRules.Describe(Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What the installer will do with one item.</summary>
    public enum InstallAction
    {
        /// <summary>Nothing stored there: write.</summary>
        Write,

        /// <summary>A different credential is stored there: overwrite it in place.</summary>
        Replace,

        /// <summary>The modem already lists the same digest: nothing to do.</summary>
        Unchanged,
    }

    /// <summary>The outcome for one item.</summary>
    public enum InstallStatus
    {
        /// <summary>Written where nothing was.</summary>
        Written,

        /// <summary>Written over a different credential.</summary>
        Replaced,

        /// <summary>Already there: nothing sent.</summary>
        Unchanged,

        /// <summary>Not approved (-WhatIf, or declined): nothing sent.</summary>
        Skipped,

        /// <summary>Failed; see the error.</summary>
        Failed,
    }

    /// <summary>One planned step.</summary>
    public sealed class InstallStep
    {
        internal InstallStep(InstallItem item, string expectedSha256, InstallAction action, CredentialEntry? existing)
        {
            Item = item;
            ExpectedSha256 = expectedSha256;
            Action = action;
            Existing = existing;
        }

        /// <summary>The digest the store will list once the item is written (the store decides: line endings a shell rewrites, a NUL it appends).</summary>
        public string ExpectedSha256 { get; }

        /// <summary>The item.</summary>
        public InstallItem Item { get; }

        /// <summary>What will be done.</summary>
        public InstallAction Action { get; }

        /// <summary>What the modem lists there now, or null.</summary>
        public CredentialEntry? Existing { get; }
    }

    /// <summary>The plan for a set of items on one modem: read-only facts gathered before any change.</summary>
    public sealed class InstallPlan
    {
        internal InstallPlan(IReadOnlyList<InstallStep> steps, int? functionalMode, bool placeholderDigests)
        {
            Steps = steps;
            FunctionalMode = functionalMode;
            PlaceholderDigests = placeholderDigests;
        }

        /// <summary>One step per item, in the order given.</summary>
        public IReadOnlyList<InstallStep> Steps { get; }

        /// <summary>The functional mode found (as known to the session).</summary>
        public int? FunctionalMode { get; }

        /// <summary>True when the modem is active and must be switched offline to write.</summary>
        public bool NeedsModeSwitch => FunctionalMode is int mode && FunctionalModes.IsActive(mode) && Steps.Any(s => s.Action != InstallAction.Unchanged);

        /// <summary>The firmware prints placeholder digests: nothing can be compared or verified.</summary>
        public bool PlaceholderDigests { get; }
    }

    /// <summary>The outcome for one item.</summary>
    public sealed class InstallResult
    {
        internal InstallResult(InstallItem item, InstallStatus status, string? listedSha256, ModemException? error)
        {
            Item = item;
            Status = status;
            ListedSha256 = listedSha256;
            Error = error;
        }

        /// <summary>The item.</summary>
        public InstallItem Item { get; }

        /// <summary>What happened.</summary>
        public InstallStatus Status { get; }

        /// <summary>The digest the modem lists afterwards (null where unknown).</summary>
        public string? ListedSha256 { get; }

        /// <summary>The failure, for <see cref="InstallStatus.Failed"/>.</summary>
        public ModemException? Error { get; }
    }

    /// <summary>The result of <see cref="CredentialInstaller.Execute"/>.</summary>
    public sealed class InstallOutcome
    {
        internal InstallOutcome(IReadOnlyList<InstallResult> results, int? modeFound, bool switched, ModemException? restoreError)
        {
            Results = results;
            ModeFound = modeFound;
            SwitchedOffline = switched;
            RestoreError = restoreError;
        }

        /// <summary>One result per step.</summary>
        public IReadOnlyList<InstallResult> Results { get; }

        /// <summary>The functional mode found.</summary>
        public int? ModeFound { get; }

        /// <summary>True when the modem was switched offline for the writes (and restored).</summary>
        public bool SwitchedOffline { get; }

        /// <summary>Set when the original mode could not be restored: the modem is not as found.</summary>
        public ModemException? RestoreError { get; }
    }
}
