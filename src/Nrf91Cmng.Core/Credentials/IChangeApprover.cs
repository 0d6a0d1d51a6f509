namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>What a change to a modem's store does.</summary>
    public enum ChangeKind
    {
        /// <summary>Store a credential where nothing is.</summary>
        Write,

        /// <summary>Store a credential over a different one.</summary>
        Replace,

        /// <summary>Delete a credential.</summary>
        Delete,

        /// <summary>Generate a key pair in the modem (replacing a key there).</summary>
        GenerateKey,
    }

    /// <summary>One change, described for an approval prompt and for -WhatIf.</summary>
    public sealed class CredentialChange
    {
        /// <summary>Creates a change description.</summary>
        public CredentialChange(ChangeKind kind, uint secTag, CredentialType type, string location, string? source, string? newSha256, string? existingSha256)
        {
            Kind = kind;
            SecTag = secTag;
            Type = type;
            Location = location;
            Source = source;
            NewSha256 = newSha256;
            ExistingSha256 = existingSha256;
        }

        /// <summary>What the change does.</summary>
        public ChangeKind Kind { get; }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The type.</summary>
        public CredentialType Type { get; }

        /// <summary>Where the store is (the port).</summary>
        public string Location { get; }

        /// <summary>Where the new content comes from (a file, -Content), or null.</summary>
        public string? Source { get; }

        /// <summary>The digest the store will list, or null.</summary>
        public string? NewSha256 { get; }

        /// <summary>The digest listed there now, or null.</summary>
        public string? ExistingSha256 { get; }

        /// <summary>"root CA certificate at sec_tag 42".</summary>
        public string Target => CredentialRules.Describe(Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture);

        /// <summary>The change of an install step.</summary>
        public static CredentialChange For(InstallStep step, string location) => new CredentialChange(
            step.Action == InstallAction.Replace ? ChangeKind.Replace : ChangeKind.Write,
            step.Item.SecTag, step.Item.Type, location, step.Item.Description, step.ExpectedSha256, step.Existing?.Sha256);
    }

    /// <summary>
    /// The one way every change to a modem is approved: ShouldProcess, -Force and confirmation
    /// prompts in the cmdlets, the -Force and -WhatIf switches of a fleet run, a yes in tests.
    /// </summary>
    public interface IChangeApprover
    {
        /// <summary>
        /// -WhatIf: the run reads and plans as usual, asks its approvals as usual (so it can say what
        /// it would do), and then changes nothing.
        /// </summary>
        bool WhatIf { get; }

        /// <summary>May <paramref name="change"/> be made? A Replace or GenerateKey needs more than a Write (-Force or a confirmation).</summary>
        bool ApproveChange(CredentialChange change);

        /// <summary>May the modem be switched from <paramref name="mode"/> (LTE active) to offline (CFUN=4) and back afterwards?</summary>
        bool ApproveModeSwitch(int mode);
    }

    /// <summary>
    /// Approves every Write and Delete; a Replace, a GenerateKey and a mode switch only when
    /// <c>force</c> is set (unattended runs: the fleet, where no thread may prompt).
    /// </summary>
    public sealed class ForceApprover : IChangeApprover
    {
        private readonly bool _force;

        /// <summary>Creates the approver.</summary>
        public ForceApprover(bool force, bool whatIf = false)
        {
            _force = force;
            WhatIf = whatIf;
        }

        /// <inheritdoc />
        public bool WhatIf { get; }

        /// <inheritdoc />
        public bool ApproveChange(CredentialChange change) => _force || change.Kind == ChangeKind.Write || change.Kind == ChangeKind.Delete;

        /// <inheritdoc />
        public bool ApproveModeSwitch(int mode) => _force;
    }
}
