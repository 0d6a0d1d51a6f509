namespace Nrf91Cmng
{
    /// <summary>How an AT command ended.</summary>
    public enum AtResult
    {
        /// <summary>OK.</summary>
        Ok,

        /// <summary>ERROR.</summary>
        Error,

        /// <summary>+CME ERROR: n.</summary>
        CmeError,

        /// <summary>+CMS ERROR: n.</summary>
        CmsError,
    }

    /// <summary>The answer to one AT command sent with Invoke-ModemCommand.</summary>
    public sealed class ModemResponse
    {
        internal ModemResponse(int sessionId, string command, string[] lines, string[] unsolicited, AtResult result, int? errorCode, string? explanation, TimeSpan duration)
        {
            SessionId = sessionId;
            Command = command;
            Lines = new TextLines(lines);
            Unsolicited = new TextLines(unsolicited);
            Result = result;
            ErrorCode = errorCode;
            Explanation = explanation;
            Duration = duration;
        }

        /// <summary>The command as sent (credential content and passphrases redacted).</summary>
        public string Command { get; }

        /// <summary>The response lines (without the final result; a quoted string spanning lines is one entry).</summary>
        public TextLines Lines { get; }

        /// <summary>Unsolicited result codes and log lines that arrived meanwhile.</summary>
        public TextLines Unsolicited { get; }

        /// <summary>Ok, Error, CmeError or CmsError.</summary>
        public AtResult Result { get; }

        /// <summary>The CME/CMS code, or null.</summary>
        public int? ErrorCode { get; }

        /// <summary>What the code means and what to do, or null.</summary>
        public string? Explanation { get; }

        /// <summary>Time from sending to the final result.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The session the command ran on.</summary>
        public int SessionId { get; }

        /// <summary>The response lines joined with newlines (handy for -match).</summary>
        public string Text => string.Join("\n", Lines);

        /// <inheritdoc />
        public override string ToString() => Command + " -> " + Result + (ErrorCode is int c ? " " + c : string.Empty);
    }
}
