using System.Diagnostics;

namespace Nrf91Cmng.Core.At
{
    /// <summary>Getting a console back into a known state after a timeout, a cancellation or an earlier program.</summary>
    public sealed partial class AtChannel
    {
        /// <summary>
        /// Listens for <paramref name="window"/> and discards what arrives; returns the number of
        /// non-empty lines. A reply that arrives with nothing asked is a late answer to an earlier
        /// command (a previous program, an interrupted session): the caller then knows the last
        /// answer it took may not have been its own.
        /// </summary>
        public int DrainLateReplies(TimeSpan window, IModemLog? log, CancellationToken cancellationToken)
        {
            int lines = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < window)
            {
                int n = Read(window - clock.Elapsed, cancellationToken);
                if (n == 0)
                {
                    continue;
                }

                _pieces.Clear();
                _assembler.Feed(_buffer, 0, n, _pieces);
                foreach (LinePiece piece in _pieces)
                {
                    if (piece.Text.Trim().Length > 0)
                    {
                        lines++;
                        log?.Debug("< (late) " + Logging.SecretScrubber.Scrub(piece.Text.Trim()));
                        Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Unsolicited, piece.Text.Trim());
                    }
                }
            }

            _assembler.Reset();
            _carry.Clear();
            return lines;
        }

        /// <summary>
        /// Brings the console back to a known state: a lone quote where a quote may be open, then
        /// <c>AT</c> until <c>OK</c>, alternating quote and probe so that either parity of the
        /// at_host quote flag is closed. Returns false when nothing answered.
        /// </summary>
        public bool TryResynchronise(IModemLog? log, CancellationToken cancellationToken, bool closeQuote = false)
        {
            lock (_gate)
            {
                EnsureUsable("AT");
                _quoteMayBeOpen |= closeQuote && Mode == CommandMode.At;
                try
                {
                    Resynchronise(log ?? NullModemLog.Instance, cancellationToken, markLost: false);
                    return true;
                }
                catch (ModemException ex) when (ex.ErrorId == ErrorIds.SessionUnusable)
                {
                    return false;
                }
            }
        }

        private void Resynchronise(IModemLog log, CancellationToken cancellationToken, bool markLost = true)
        {
            Note("resynchronising the console");
            log.Verbose("Resynchronising the console (" + (_quoteMayBeOpen ? "closing a quote that may be open, then " : string.Empty) + "AT until OK).");
            bool sendQuote = _quoteMayBeOpen;

            // The line holds at most what was sent of the lost command (and a terminator byte).
            int erase = Math.Min(_lastFramedLength + 2, MaxCommandLength + 1);
            for (int attempt = 0; attempt < ResyncAttempts; attempt++)
            {
                long written = 0;
                if (sendQuote && Mode == CommandMode.At)
                {
                    // Erase the pending line first (at_host's backspace works inside quotes too), then
                    // toggle its quote state with a lone quote and erase that quote as well: the
                    // terminator then submits an empty line. Closing the quote and submitting the
                    // line as it stood would execute half a write with whatever followed it.
                    written += SendRaw(new string('\b', erase) + "\"\b", log, cancellationToken, "(erase the line, toggle the quote state)");
                    WaitForFinal(TimeSpan.FromMilliseconds(300) + WireTime(written), okOnly: false, cancellationToken);
                    erase = 0;
                }
                else if (IsShell)
                {
                    // Ctrl-C abandons a line the shell still holds (with echo on; ignored otherwise), the line end gives a prompt.
                    written += SendRaw("\x03", log, cancellationToken, "(Ctrl-C, line end)");
                }

                // A partial reply of the lost command must not glue onto the probe's OK.
                _assembler.Reset();
                _carry.Clear();
                bool answered;
                int left = 0;
                if (Mode == CommandMode.Cred)
                {
                    // No 'at' to ask: the shell is back when its prompt follows a line end.
                    answered = WaitForPrompt(ResyncProbeTimeout + WireTime(written), cancellationToken);
                }
                else
                {
                    int probe = SendRaw(Frame("AT"), log, cancellationToken);
                    written += probe;
                    left = probe;
                    answered = WaitForFinal(ResyncProbeTimeout + WireTime(written), okOnly: true, cancellationToken);
                }

                if (answered)
                {
                    // Late answers to the lost command may still be on their way: let them land and drop them.
                    while (Read(TimeSpan.FromMilliseconds(100), cancellationToken) > 0)
                    {
                    }

                    // The OK may have been a late one (the lost command's, or an earlier probe's, from a
                    // console that was busy and kept its input): only a second probe answered on a quiet
                    // line shows that this console answers now and is not inside a quote. (A cred shell's
                    // prompt is no answer to anything earlier: it needs no second look.)
                    bool confirmed = true;
                    if (Mode != CommandMode.Cred)
                    {
                        _assembler.Reset();
                        _carry.Clear();
                        int confirm = SendRaw(Frame("AT"), log, cancellationToken);
                        left += confirm;
                        confirmed = WaitForFinal(ResyncProbeTimeout + WireTime(confirm), okOnly: true, cancellationToken);
                        while (confirmed && Read(TimeSpan.FromMilliseconds(100), cancellationToken) > 0)
                        {
                        }
                    }

                    if (confirmed)
                    {
                        _assembler.Reset();
                        _carry.Clear();
                        _needsResync = false;
                        _quoteMayBeOpen = false;
                        Note("console resynchronised");
                        return;
                    }
                }

                // Unanswered, this attempt left at most its probes and their terminators in the line (inside
                // a quote the lone quote opened, with that quote's terminator): the next attempt erases that,
                // not the lost command again (4,096 backspaces take 4.3 s at 9600 baud).
                erase = Math.Min(erase + left + TerminatorText(Terminator).Length + 2, MaxCommandLength + 1);
                sendQuote = true;
            }

            Note("console did not answer the resynchronisation");
            _lost = markLost;
            throw new ModemException(ErrorIds.SessionUnusable, ModemErrorCategory.ConnectionError,
                "The console on " + _transport.Name + (Mode == CommandMode.Cred ? " does not print its shell prompt any more" : " does not answer AT any more") + ", even after closing a possibly open quote"
                + (markLost ? "; the session is closed for commands (Connected is False)." : "."),
                "Reset the board (or power-cycle it) and reconnect with Connect-Modem; check that nothing else writes to the port.");
        }

        private int SendRaw(string text, IModemLog log, CancellationToken cancellationToken, string? display = null)
        {
            byte[] bytes = Encode(text + TerminatorText(Terminator));
            try
            {
                _transport.Write(bytes, 0, bytes.Length, cancellationToken);
            }
            catch (LinkClosedException ex)
            {
                throw Lost(display, ex);
            }

            BytesSent += bytes.Length;
            CommandCount++;
            string shown = display ?? (text.Length == 0 ? "(terminator)" : text);
            log.Debug("> " + shown);
            Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Sent, shown);
            return bytes.Length;
        }

        private bool WaitForFinal(TimeSpan timeout, bool okOnly, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                TimeSpan left = timeout - clock.Elapsed;
                int n = ReadPieces(left, cancellationToken);
                if (n == 0)
                {
                    continue;
                }

                foreach (LinePiece piece in _pieces)
                {
                    string text = (IsShell ? StripShellPrompt(piece.Text) : piece.Text).Trim();
                    if (AtResponseCollector.TryParseFinal(text, out AtResultKind kind, out _) && (!okOnly || kind == AtResultKind.Ok))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
