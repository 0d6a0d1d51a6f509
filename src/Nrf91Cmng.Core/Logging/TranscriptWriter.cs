namespace Nrf91Cmng.Core.Logging
{
    /// <summary>
    /// A per-modem transcript file: every AT exchange on its own line, time-stamped, with the
    /// direction marked (&gt; sent, &lt; received, ~ unsolicited, # note). Text arrives redacted
    /// from the engine and is scrubbed once more, so private keys and PSKs never reach the file.
    /// </summary>
    public sealed class TranscriptWriter : ITrafficObserver, IDisposable
    {
        private readonly object _gate = new object();
        private readonly StreamWriter _writer;
        private bool _disposed;

        /// <summary>
        /// Opens (appends to) the transcript at <paramref name="path"/>; a file that cannot be
        /// written is a <see cref="ModemException"/> (<see cref="ErrorIds.TranscriptUnwritable"/>)
        /// saying so before anything is sent.
        /// </summary>
        public static TranscriptWriter Create(string path, string header)
        {
            try
            {
                return new TranscriptWriter(path, header);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new ModemException(ErrorIds.TranscriptUnwritable, ModemErrorCategory.WriteError,
                    "The transcript file '" + path + "' cannot be written: " + ex.Message + ". Nothing was sent.",
                    "Choose a path in a folder you can write to.", ex);
            }
        }

        /// <summary>Creates (or appends to) the file at <paramref name="path"/>.</summary>
        public TranscriptWriter(string path, string header)
        {
            Path = path;
            string? folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false))
            {
                AutoFlush = true,
                NewLine = "\n",
            };
            Note(header);
        }

        /// <summary>The file written.</summary>
        public string Path { get; }

        /// <inheritdoc />
        public void OnTraffic(DateTimeOffset time, TrafficDirection direction, string text)
        {
            char mark = direction switch
            {
                TrafficDirection.Sent => '>',
                TrafficDirection.Received => '<',
                TrafficDirection.Unsolicited => '~',
                _ => '#',
            };
            string clean = SecretScrubber.Scrub(text).Replace("\r", "\\r").Replace("\n", "\\n");
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _writer.WriteLine(time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) + " " + mark + " " + clean);
            }
        }

        /// <summary>Adds a note line (start, result, failure).</summary>
        public void Note(string text) => OnTraffic(DateTimeOffset.Now, TrafficDirection.Note, text);

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _disposed = true;
                    _writer.Dispose();
                }
            }
        }
    }
}
