namespace Nrf91Cmng.Core.Errors
{
    /// <summary>Which family of command a CME code came from: the same code means different things.</summary>
    public enum CommandFamily
    {
        /// <summary>Any other command.</summary>
        General,

        /// <summary><c>AT%CMNG=0</c>: write a credential.</summary>
        CredentialWrite,

        /// <summary><c>AT%CMNG=1</c>: list credentials.</summary>
        CredentialList,

        /// <summary><c>AT%CMNG=2</c>: read a credential.</summary>
        CredentialRead,

        /// <summary><c>AT%CMNG=3</c>: delete a credential.</summary>
        CredentialDelete,

        /// <summary><c>AT%XPMNG</c>: public key for authenticated AT commands.</summary>
        PublicKey,

        /// <summary><c>AT%KEYGEN</c>: on-modem key generation.</summary>
        KeyGeneration,

        /// <summary><c>AT%ATTESTTOKEN</c>, <c>AT%CLAIMTOKEN</c>.</summary>
        Attestation,

        /// <summary><c>AT+CFUN</c>.</summary>
        FunctionalMode,
    }

    /// <summary>The meaning of one CME code, in plain words, with what to do about it.</summary>
    public sealed class CmeErrorInfo
    {
        internal CmeErrorInfo(int code, string name, string meaning, string remedy, ModemErrorCategory category, bool known)
        {
            Code = code;
            Name = name;
            Meaning = meaning;
            Remedy = remedy;
            Category = category;
            IsKnown = known;
        }

        /// <summary>The numeric code.</summary>
        public int Code { get; }

        /// <summary>A short name (e.g. "NotFound").</summary>
        public string Name { get; }

        /// <summary>What the modem is saying.</summary>
        public string Meaning { get; }

        /// <summary>What to do.</summary>
        public string Remedy { get; }

        /// <summary>The failure kind.</summary>
        public ModemErrorCategory Category { get; }

        /// <summary>False for codes not in the published tables (reported with their number).</summary>
        public bool IsKnown { get; }

        /// <summary>The stable error id: <c>ModemCmeError&lt;code&gt;</c>.</summary>
        public string ErrorId => "ModemCmeError" + Code.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every CME code of the nRF91 AT reference that a credential tool meets (0, 23, 50, 60, 513,
    /// 514, 515, 518, 519, 520, 523, 527, 528, 529) with its meaning and remedy, per command family.
    /// </summary>
    public static class CmeErrors
    {
        /// <summary>The codes this table explains.</summary>
        public static IReadOnlyList<int> KnownCodes { get; } = new[] { 0, 23, 50, 60, 513, 514, 515, 518, 519, 520, 523, 527, 528, 529 };

        /// <summary>Describes <paramref name="code"/> as returned by a command of <paramref name="family"/>.</summary>
        public static CmeErrorInfo Describe(int code, CommandFamily family)
        {
            switch (code)
            {
                case 0:
                    return Info(code, "PhoneFailure",
                        "the modem does not support this command or failed to run it (CME 0, 'phone failure'); on old firmware this is how an unknown command is answered",
                        "Check the firmware version with Get-ModemInfo: %KEYGEN and %ATTESTTOKEN need mfw 1.3.0 or later, %DEVICEUUID needs nRF91x1 firmware.",
                        ModemErrorCategory.NotImplemented);
                case 23:
                    return Info(code, "MemoryFailure", "the modem reported a memory failure (CME 23); the content may be too large for its buffers",
                        "Shorten the content (for a chain, write only the root that the server needs) and retry; if it persists, reset the modem.",
                        ModemErrorCategory.LimitsExceeded);
                case 50:
                    return Info(code, "IncorrectParameters", "the modem rejected the command's parameters (CME 50)",
                        "Check the sec_tag (0-2147483647 for user credentials), the type number and that the content is not empty.",
                        ModemErrorCategory.InvalidArgument);
                case 60:
                    return Info(code, "SystemError", "the modem reported a system error (CME 60)",
                        "Retry once; if it persists, reset the modem (Set-ModemFunctionalMode, or power-cycle the board).",
                        ModemErrorCategory.DeviceError);
                case 513:
                    return family switch
                    {
                        CommandFamily.PublicKey => Info(code, "NotFound", "there is no public key in that slot (CME 513)",
                            "Write one first with Set-ModemPublicKey, or read another slot (-SecTag 0-9).", ModemErrorCategory.ObjectNotFound),
                        CommandFamily.KeyGeneration => Info(code, "NotFound", "the modem could not find what key generation needs (CME 513)",
                            "Check the sec_tag and key type.", ModemErrorCategory.ObjectNotFound),
                        _ => Info(code, "NotFound", "no credential of that type is stored at that sec_tag (CME 513)",
                            "List what is stored with Get-ModemCredential; check the -SecTag and -Type.", ModemErrorCategory.ObjectNotFound),
                    };
                case 514:
                    return family switch
                    {
                        CommandFamily.CredentialRead => Info(code, "NoAccess", "the modem does not allow this credential to be read back (CME 514): private keys and PSKs are never readable, and client certificates are not on older firmware",
                            "Compare digests instead: Test-ModemCredential -SecTag <tag> -Type <type> -Path <file>.", ModemErrorCategory.PermissionDenied),
                        _ => Info(code, "NoAccess", "the modem refused access (CME 514): the sec_tag or type is reserved for the modem",
                            "Use a user sec_tag (0-2147483647) and a user type (RootCA, ClientCertificate, ClientPrivateKey, Psk, PskIdentity).", ModemErrorCategory.PermissionDenied),
                    };
                case 515:
                    return Info(code, "MemoryFull", "the modem's credential storage is full (CME 515)",
                        "Remove credentials you no longer need (Get-ModemCredential | Remove-ModemCredential) and retry.", ModemErrorCategory.LimitsExceeded);
                case 518:
                    return Info(code, "NotAllowedInActiveState", "not allowed while the modem is active (CME 518): credentials can only be written, deleted or generated while LTE is off (+CFUN 0, 4 or 20)",
                        "Switch the modem offline first (Set-ModemFunctionalMode -Mode Offline, that is AT+CFUN=4) and back afterwards; Set-ModemCredential, Remove-ModemCredential, New-ModemKey and Invoke-ModemProvisioning do both for you with -Force.", ModemErrorCategory.InvalidOperation);
                case 519:
                    return family switch
                    {
                        CommandFamily.PublicKey => Info(code, "AlreadyExists", "a public key already exists in that slot and %XPMNG cannot replace it (CME 519)",
                            "Delete it first with Remove-ModemCredential -SecTag <slot> -Type PublicKey (AT%CMNG=3,<slot>,5) while the modem is offline, then write the new key; or use another slot (-SecTag 0-9).", ModemErrorCategory.InvalidOperation),
                        CommandFamily.KeyGeneration => Info(code, "AlreadyExists", "a key of that type already exists at that sec_tag and the modem will not regenerate it (CME 519)",
                            "Remove the existing key with Remove-ModemCredential (after checking nothing depends on it) or use another sec_tag.", ModemErrorCategory.InvalidOperation),
                        _ => Info(code, "AlreadyExists", "the modem says this credential already exists and cannot be overwritten (CME 519); modem-generated keys and modem-owned items are protected",
                            "Remove the existing entry with Remove-ModemCredential and write again, or use another sec_tag.", ModemErrorCategory.InvalidOperation),
                    };
                case 520:
                    return family switch
                    {
                        CommandFamily.PublicKey => Info(code, "AlreadyExistsOrAuthenticationFailed", "a public key already exists in that slot (CME 520; the reference lists 519 and 520 for this case), or an authenticated %XSUDO command failed its signature check",
                            "Delete the existing key with Remove-ModemCredential -SecTag <slot> -Type PublicKey while offline and write again, or use another slot (-SecTag 0-9).", ModemErrorCategory.InvalidOperation),
                        _ => Info(code, "AuthenticationFailed", "the modem requires this command to be authenticated and the signature check failed (CME 520)",
                            "The modem has a public key for authenticated AT commands (%XPMNG): sign the command with the matching private key (%XSUDO), or remove the key.", ModemErrorCategory.PermissionDenied),
                    };
                case 523:
                    return Info(code, "KeyGenerationFailed", "the modem failed to generate the key (CME 523)",
                        "Retry; if it fails again, reset the modem. Key generation needs the modem offline and an unused sec_tag.", ModemErrorCategory.DeviceError);
                case 527:
                    return Info(code, "InvalidContent", "firmware 2.0.2 or later rejected this certificate: it is not a valid PEM certificate or it is too large (CME 527)",
                        "Write a PEM certificate with LF line endings and a newline after every line (the default of Set-ModemCredential), without stray characters or typed '\\n'; check its size against the 4 KB AT buffer.", ModemErrorCategory.InvalidData);
                case 528:
                    return Info(code, "PowerOffWarning", "not allowed while a power-off warning is active (CME 528): the supply voltage dropped and the modem protects its flash",
                        "Fix the power supply (battery, USB hub power), then reset the modem: the warning stays until the modem restarts.", ModemErrorCategory.InvalidOperation);
                case 529:
                    return Info(code, "OwnershipKeyNotFound", "the ownership key was not found (CME 529)",
                        "Provision the ownership key (type 9) before requesting a claim token.", ModemErrorCategory.ObjectNotFound);
                default:
                    return new CmeErrorInfo(code, "Unknown",
                        "the modem returned CME error " + code.ToString(CultureInfo.InvariantCulture) + ", which is not in the nRF91 AT reference tables this module knows",
                        "Look the code up in the AT command reference for your firmware version.", ModemErrorCategory.DeviceError, known: false);
            }
        }

        private static CmeErrorInfo Info(int code, string name, string meaning, string remedy, ModemErrorCategory category) =>
            new CmeErrorInfo(code, name, meaning, remedy, category, known: true);
    }
}
