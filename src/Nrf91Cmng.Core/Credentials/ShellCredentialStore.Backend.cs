namespace Nrf91Cmng.Core.Credentials
{
    // Learning the cred backend, and the shell's credential buffer: measuring, filling and clearing it.
    public sealed partial class ShellCredentialStore
    {
        private void Learn(CredShellBackend backend, string because, IModemLog? log)
        {
            if (Backend == backend || (backend == CredShellBackend.VolatileOrPsa && RawBackend))
            {
                return;
            }

            if (backend == CredShellBackend.VolatileOrPsa && _addedWithoutHeapCopy)
            {
                backend = CredShellBackend.Psa;
                because += ", and 'cred add' stored without copying to the heap";
            }

            Backend = backend;
            (log ?? NullModemLog.Instance).Verbose("The TLS credentials shell's backend is " + Describe(backend) + ": " + because + ".");
        }

        /// <summary>The backend in words.</summary>
        public static string Describe(CredShellBackend backend) => backend switch
        {
            CredShellBackend.Modem => "the nRF modem backend (the modem's %CMNG store)",
            CredShellBackend.Volatile => "the volatile backend (RAM, lost on reset)",
            CredShellBackend.Psa => "PSA protected storage",
            CredShellBackend.VolatileOrPsa => "a raw backend (volatile RAM or PSA protected storage)",
            _ => "not known yet",
        };

        private void NoteVolatile(ShellResponse response, IModemLog log)
        {
            if (response.Contains("Credential has been copied to heap") || response.Contains("Stored credential freed"))
            {
                Learn(CredShellBackend.Volatile, "the shell copies credentials to the heap, as it does only for the volatile backend", log);
            }
        }

        /// <summary>
        /// With <c>at</c> at hand, the modem's own list tells the backends apart without writing: the nRF
        /// modem backend lists the modem's CA, client certificate and key entries with the modem's digests.
        /// </summary>
        private void CompareWithModem(uint? secTag, CredentialType? type, IReadOnlyList<CredentialEntry> shell, IModemLog log, CancellationToken cancellationToken)
        {
            _comparedWithModem = true;
            IReadOnlyList<CredentialEntry> modem;
            try
            {
                modem = new AtCredentialStore(_client).List(secTag, type, log, cancellationToken);
            }
            catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError)
            {
                log.Verbose("The modem's own list could not be read (" + ex.Message + "); the TLS credentials shell's backend is learnt from the first write.");
                return;
            }

            foreach (CredentialEntry entry in shell.Where(e => IsPem(e.Type) && e.SecTag <= int.MaxValue && e.Sha256 is not null))
            {
                CredentialEntry? twin = modem.FirstOrDefault(m => m.SecTag == entry.SecTag && m.Type == entry.Type);
                if (twin?.Sha256 is string sha && string.Equals(sha, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    Learn(CredShellBackend.Modem, "'cred list' shows the modem's own digest for sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture), log);
                    return;
                }

                Learn(CredShellBackend.VolatileOrPsa, "'cred list' shows sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " with a digest the modem's own list does not have", log);
                return;
            }
        }

        /// <summary>
        /// Refuses, before anything is sent, a credential whose base64 is longer than the credential
        /// buffer takes. Up to the default (1023 characters) it goes as it is (an overflow on a smaller
        /// buffer still stops it before 'cred add'); a longer one first fills the buffer with filler
        /// chunks of the same length (nothing is stored by that), so a small buffer is found out before
        /// any of the credential is sent.
        /// </summary>
        private void EnsureBufferTakes(int characters, string what, IModemLog log, CancellationToken cancellationToken)
        {
            if (_bufferRefused is int refused && characters >= refused)
            {
                throw BufferTooSmall(characters, what);
            }

            if (characters <= _bufferFits)
            {
                return;
            }

            log.Verbose("The base64 of " + what + " is " + characters.ToString(CultureInfo.InvariantCulture) + " characters, more than the default credential buffer takes (" + (DefaultCredentialBufferSize - 1).ToString(CultureInfo.InvariantCulture)
                + "): measuring this firmware's buffer with filler chunks first (nothing is stored).");
            _bufferMeasured = true;
            if (!Fill(new string('A', characters), "filler for the buffer size", log, cancellationToken))
            {
                throw BufferTooSmall(characters, what);
            }

            ClearBuffer(log, cancellationToken);
        }

        /// <summary>Clears the buffer and sends <paramref name="base64"/> in chunks; a chunk the buffer cannot take stops it (nothing is added).</summary>
        private void LoadBuffer(string base64, string what, IModemLog log, CancellationToken cancellationToken)
        {
            if (!Fill(base64, what, log, cancellationToken))
            {
                throw BufferTooSmall(base64.Length, what);
            }
        }

        /// <summary>Clears the buffer and appends <paramref name="base64"/> chunk by chunk; false (buffer cleared) when it overflowed.</summary>
        private bool Fill(string base64, string what, IModemLog log, CancellationToken cancellationToken)
        {
            ClearBuffer(log, cancellationToken);
            int written = 0;
            foreach (string chunk in Chunks(base64))
            {
                ShellResponse response = Run(new ShellRequest("cred buf " + chunk) { DisplayText = "cred buf <" + chunk.Length.ToString(CultureInfo.InvariantCulture) + " characters of " + what + ">" }, log, cancellationToken);
                Match stored = response.Lines.Select(l => s_stored.Match(l.Trim())).FirstOrDefault(m => m.Success) ?? Match.Empty;
                if (response.Contains("Not enough room in credential buffer"))
                {
                    // It took 'written' characters and not one chunk more; it has cleared itself.
                    _bufferRefused = Math.Min(_bufferRefused ?? int.MaxValue, written + chunk.Length);
                    _bufferTook = Math.Max(_bufferTook, written);
                    _bufferFits = Math.Min(_bufferFits, written);
                    log.Verbose("The credential buffer overflowed after " + written.ToString(CultureInfo.InvariantCulture) + " characters; nothing was added.");
                    return false;
                }

                if (!stored.Success || int.Parse(stored.Groups["n"].Value, CultureInfo.InvariantCulture) != chunk.Length)
                {
                    ClearBuffer(log, cancellationToken);
                    throw new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.DeviceError,
                        "The TLS credentials shell did not take a " + chunk.Length.ToString(CultureInfo.InvariantCulture) + "-character chunk of " + what + " whole (it answered '"
                        + string.Join(" ", response.Lines.Select(l => l.Trim())) + "'" + (response.Unsolicited.Any(u => u.IndexOf("RX ring buffer full", StringComparison.Ordinal) >= 0) ? " and logged 'RX ring buffer full'" : string.Empty)
                        + "). The buffer was cleared and nothing was added.",
                        "Retry; if it repeats, the UART loses bytes: lower the baud rate or raise CONFIG_SHELL_BACKEND_SERIAL_RX_RING_BUFFER_SIZE.");
                }

                written += chunk.Length;
            }

            _bufferTook = Math.Max(_bufferTook, written);
            _bufferFits = Math.Max(_bufferFits, written);
            return true;
        }

        /// <summary>Chunks of <see cref="ChunkSize"/>; a last chunk that would read "load" (upstream's paste mode) is joined to the one before.</summary>
        internal static List<string> Chunks(string base64)
        {
            var chunks = new List<string>();
            for (int i = 0; i < base64.Length; i += ChunkSize)
            {
                chunks.Add(base64.Substring(i, Math.Min(ChunkSize, base64.Length - i)));
            }

            if (chunks.Count > 1 && (chunks[chunks.Count - 1] == "load" || chunks[chunks.Count - 1] == "clear"))
            {
                chunks[chunks.Count - 2] += chunks[chunks.Count - 1];
                chunks.RemoveAt(chunks.Count - 1);
            }

            return chunks;
        }

        private void ClearBuffer(IModemLog log, CancellationToken cancellationToken) =>
            Run(new ShellRequest("cred buf clear"), log, cancellationToken);

        private ModemException BufferTooSmall(int characters, string what)
        {
            int needed = characters + 1;
            string known;
            if (_bufferRefused is int refused)
            {
                // CRED_BUF_SIZE − 1 characters fit: it took _bufferTook and refused 'refused'.
                string size = _bufferTook + 1 == refused
                    ? "CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE is " + refused.ToString(CultureInfo.InvariantCulture)
                    : "CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE is between " + (_bufferTook + 1).ToString(CultureInfo.InvariantCulture) + " and " + refused.ToString(CultureInfo.InvariantCulture)
                        + (_bufferTook < DefaultCredentialBufferSize && refused >= DefaultCredentialBufferSize ? ", likely the default " + DefaultCredentialBufferSize.ToString(CultureInfo.InvariantCulture) : string.Empty);
                known = "this firmware's buffer took " + _bufferTook.ToString(CultureInfo.InvariantCulture) + " characters and refused " + refused.ToString(CultureInfo.InvariantCulture) + " (" + size + ")";
            }
            else
            {
                known = "the buffer holds " + (DefaultCredentialBufferSize - 1).ToString(CultureInfo.InvariantCulture) + " with the default CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE " + DefaultCredentialBufferSize.ToString(CultureInfo.InvariantCulture);
            }

            return new ModemException(ErrorIds.CredentialBufferTooSmall, ModemErrorCategory.LimitsExceeded,
                Messages.Capital(what) + " is " + characters.ToString(CultureInfo.InvariantCulture) + " base64 characters in the TLS credentials shell's credential buffer, but " + known
                + ". Nothing was stored" + (_bufferMeasured ? " (the buffer was measured with filler, then cleared)" : string.Empty)
                + ": a client that sends on regardless stores the tail of the credential.",
                "Build the firmware with CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE=" + Math.Max(needed, 2048).ToString(CultureInfo.InvariantCulture)
                + " or more (at least " + needed.ToString(CultureInfo.InvariantCulture) + "), or write it through a raw AT console (at_client), which takes up to 4 KB.");
        }
    }
}
