namespace Nrf91Cmng.Core.At
{
    /// <summary>One line for a Zephyr shell command (not framed as <c>at</c>): <c>cred list</c>, <c>cred buf …</c>.</summary>
    public sealed class ShellRequest
    {
        /// <summary>Creates a request for <paramref name="line"/> (without terminator).</summary>
        public ShellRequest(string line)
        {
            Line = line ?? throw new ArgumentNullException(nameof(line));
        }

        /// <summary>The exact line. May hold secrets (a chunk of a key): never logged.</summary>
        public string Line { get; }

        /// <summary>What logs, transcripts and errors show instead of <see cref="Line"/> when it carries credential content.</summary>
        public string? DisplayText { get; set; }

        /// <summary>The display form: <see cref="DisplayText"/> or the line itself.</summary>
        public string Display => DisplayText ?? Line;

        /// <summary>Per-call timeout; null uses the channel default.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Why this command might take long, added to a timeout error.</summary>
        public string? SlowBecause { get; set; }
    }

    /// <summary>What a shell command printed before the next prompt: there is no OK, the prompt ends it.</summary>
    public sealed class ShellResponse
    {
        internal ShellResponse(string display, IReadOnlyList<string> lines, IReadOnlyList<string> unsolicited, TimeSpan duration)
        {
            Command = display;
            Lines = lines;
            Unsolicited = unsolicited;
            Duration = duration;
        }

        /// <summary>The command as displayed (redacted where it carried secrets).</summary>
        public string Command { get; }

        /// <summary>The output lines, VT100 codes, prompt and echo removed, in order.</summary>
        public IReadOnlyList<string> Lines { get; }

        /// <summary>Log lines (<c>[00:00:12.345,678] &lt;wrn&gt; …</c>) that arrived meanwhile.</summary>
        public IReadOnlyList<string> Unsolicited { get; }

        /// <summary>Time from sending the line to the prompt.</summary>
        public TimeSpan Duration { get; }

        /// <summary>True when some line contains <paramref name="text"/> (ordinal).</summary>
        public bool Contains(string text)
        {
            foreach (string line in Lines)
            {
                if (line.IndexOf(text, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
