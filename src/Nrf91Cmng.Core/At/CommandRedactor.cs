namespace Nrf91Cmng.Core.At
{
    /// <summary>
    /// The display form of a raw command typed by a user (Invoke-ModemCommand): credential
    /// content and passphrases of <c>%CMNG=0</c> and the payload of <c>%KEYINJECT</c> are replaced
    /// by their length and a short digest, so no secret reaches a log, transcript or error.
    /// </summary>
    public static class CommandRedactor
    {
        private static readonly Regex s_cmngWrite = new Regex(
            "^(?<head>AT%CMNG=0\\s*,[^,\"]*,[^,\"]*,\\s*\")(?<content>[^\"]*)(?<close>\"?)(?<rest>.*)$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline);

        private static readonly Regex s_keyInject = new Regex(
            "^(?<head>AT%KEYINJECT=\\s*)(?<content>.+)$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline);

        /// <summary>Returns the command with secrets replaced; other commands come back unchanged.</summary>
        public static string Redact(string command)
        {
            if (command is null)
            {
                throw new ArgumentNullException(nameof(command));
            }

            string text = command.TrimStart();
            if (text.StartsWith("at ", StringComparison.OrdinalIgnoreCase))
            {
                // Zephyr shell form typed by hand: redact what follows.
                return command.Substring(0, command.Length - text.Length) + text.Substring(0, 3) + Redact(text.Substring(3).Trim('\''));
            }

            Match m = s_cmngWrite.Match(text);
            if (m.Success)
            {
                string rest = m.Groups["rest"].Value.Length > 0 ? ",\"<passphrase hidden>\"" : string.Empty;
                return m.Groups["head"].Value + DescribeContent(m.Groups["content"].Value) + m.Groups["close"].Value + rest;
            }

            m = s_keyInject.Match(text);
            if (m.Success)
            {
                return m.Groups["head"].Value + DescribeContent(m.Groups["content"].Value);
            }

            return command;
        }

        /// <summary>"&lt;1188 bytes, SHA-256 2C43952E...&gt;": how logs, transcripts and errors show secret content.</summary>
        public static string DescribeContent(string content) =>
            "<" + content.Length.ToString(CultureInfo.InvariantCulture) + " bytes, SHA-256 " + Crypto.Encodings.Sha256Hex(Encoding.UTF8.GetBytes(content)).Substring(0, 8) + "...>";
    }
}
