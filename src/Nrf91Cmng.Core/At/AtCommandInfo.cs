namespace Nrf91Cmng.Core.At
{
    /// <summary>What a raw AT command typed by a user answers with: its information-line prefix and its command family.</summary>
    public static class AtCommandInfo
    {
    /// <summary>
    /// The prefix of information lines for extended commands (AT+CGSN=1 answers +CGSN:); null for
    /// commands that answer with bare lines (AT+CGSN, AT+CGMR). Unknown commands keep every
    /// non-URC line, so nothing the user asked for is hidden.
    /// </summary>
    public static string? ResponsePrefixOf(string command)
    {
        string body = command.Substring(2);
        if (body.Length < 2 || (body[0] != '+' && body[0] != '%' && body[0] != '#'))
        {
            return null;
        }

        int end = 1;
        while (end < body.Length && (char.IsLetterOrDigit(body[end]) || body[end] == '_'))
        {
            end++;
        }

        string name = body.Substring(0, end);
        bool hasPrefixedAnswer = end < body.Length && (body[end] == '?' || body[end] == '=');
        if (!hasPrefixedAnswer && (name.Equals("+CGSN", StringComparison.OrdinalIgnoreCase)
            || name.Equals("+CGMR", StringComparison.OrdinalIgnoreCase)
            || name.Equals("+CGMM", StringComparison.OrdinalIgnoreCase)
            || name.Equals("+CGMI", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        if (name.Equals("+CGSN", StringComparison.OrdinalIgnoreCase) && body.Substring(end).StartsWith("=0", StringComparison.Ordinal))
        {
            return null;
        }

        return name.ToUpperInvariant() + ":";
    }

    public static CommandFamily FamilyOf(string command)
    {
        string c = command.ToUpperInvariant();
        if (c.StartsWith("AT%CMNG=0", StringComparison.Ordinal))
        {
            return CommandFamily.CredentialWrite;
        }

        if (c.StartsWith("AT%CMNG=1", StringComparison.Ordinal))
        {
            return CommandFamily.CredentialList;
        }

        if (c.StartsWith("AT%CMNG=2", StringComparison.Ordinal))
        {
            return CommandFamily.CredentialRead;
        }

        if (c.StartsWith("AT%CMNG=3", StringComparison.Ordinal))
        {
            return CommandFamily.CredentialDelete;
        }

        if (c.StartsWith("AT%XPMNG", StringComparison.Ordinal))
        {
            return CommandFamily.PublicKey;
        }

        if (c.StartsWith("AT%KEYGEN", StringComparison.Ordinal))
        {
            return CommandFamily.KeyGeneration;
        }

        if (c.StartsWith("AT%ATTESTTOKEN", StringComparison.Ordinal) || c.StartsWith("AT%CLAIMTOKEN", StringComparison.Ordinal))
        {
            return CommandFamily.Attestation;
        }

        return c.StartsWith("AT+CFUN", StringComparison.Ordinal) ? CommandFamily.FunctionalMode : CommandFamily.General;
    }
    }
}
