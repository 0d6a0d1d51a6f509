namespace Nrf91Cmng.Core.Modem
{
    // Choosing the command mode on connect: raw AT, the at shell, the cred shell or both, and the settle after the first answer.
    public sealed partial class ModemClient
    {
        private void EstablishMode(IModemLog log, CancellationToken cancellationToken)
        {
            var cmee = new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout };
            if (_options.Mode != CommandMode.Auto)
            {
                Channel.Mode = _options.Mode;
                if (Channel.IsShell)
                {
                    EnterForcedShell(log, cancellationToken);
                }

                if (Channel.HasAt)
                {
                    cmee.Timeout = null;
                    EnableNumericErrors(cmee, log, cancellationToken, quiet: false);
                }

                _seenRestarts = Channel.RestartCount;
                log.Verbose("Command mode: " + Describe(Channel.Mode) + " (chosen with -CommandMode).");
                return;
            }

            // A mode is taken on the first clean answer. After trouble (a timeout, a refused CMEE) a
            // late answer to an earlier program's command may have been taken for ours, so the mode
            // must then also answer a plain AT before it is believed. Detection is bounded: each probe
            // waits DetectTimeout, and while not a byte has come back a resynchronisation tries once,
            // so a port with nothing behind it fails in a few seconds; a line that answers something
            // (a modem still finishing an interrupted command) gets every attempt.
            // The raw AT console is asked first and costs what it always did (AT+CMEE=1); a Zephyr shell
            // answers that with "AT+CMEE=1: command not found" at once, and only then are the shell's
            // commands probed.
            try
            {
                Channel.Mode = CommandMode.At;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                try
                {
                    if (!Channel.NeedsResync || Channel.TryResynchronise(log, cancellationToken))
                    {
                        cmee.DetectShell = true;
                        AtResponse response = SendNumericErrors(cmee, log, cancellationToken, quiet: false, deferSettle: _options.Identify);
                        if (response.ShellAnswered)
                        {
                            DetectShell(log, cancellationToken);
                            return;
                        }

                        if (response.IsOk || AnswersAt(log, cancellationToken))
                        {
                            log.Verbose("Command mode: " + Describe(CommandMode.At) + ".");
                            return;
                        }
                    }
                }
                catch (ModemTimeoutException)
                {
                    // Try a shell next.
                }

                // A shell that did not say "command not found" (messages lost, an unusual prompt): it
                // answers an empty line with a prompt.
                Channel.Mode = CommandMode.Shell;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                try
                {
                    if ((!Channel.NeedsResync || Channel.TryResynchronise(log, cancellationToken))
                        && Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken) is not null)
                    {
                        DetectShell(log, cancellationToken);
                        return;
                    }
                }
                catch (ModemTimeoutException)
                {
                    // Nothing there either.
                }

                // A quote left open by an earlier program: the raw resynchronisation closes it.
                Channel.Mode = CommandMode.At;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                if (Channel.TryResynchronise(log, cancellationToken, closeQuote: true))
                {
                    EnableNumericErrors(cmee, log, cancellationToken, quiet: false);
                    return;
                }
            }
            finally
            {
                Channel.ResyncAttempts = 4;
            }

            throw new ModemConnectionException(ErrorIds.NoAtConsole,
                "Nothing on " + Channel.Transport.Name + " answered AT, neither as a raw AT console nor as a Zephyr shell"
                + (Channel.BytesReceived == 0 ? "; not a single byte came back." : "; what came back was not an answer (" + Channel.BytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes)."),
                "Check that this is the board's AT port (on an nRF91 DK the first of its serial ports), that the board is powered and runs an AT host firmware (at_client, serial_lte_modem) or a Zephyr shell with 'at' or 'cred' (modem_shell), the baud rate, the line ending (-LineEnding Cr) and flow control (-Handshake None for boards without RTS/CTS).");
        }

        /// <summary>
        /// A Zephyr shell answered: learn its prompt, then ask which of <c>cred</c> and <c>at</c> it has
        /// (<c>cred list</c>, <c>at AT+CMEE=1</c>, one round trip each; the second also turns numeric
        /// errors on) and take the mode: both → <see cref="CommandMode.CredAndAt"/>, <c>cred</c> only →
        /// <see cref="CommandMode.Cred"/>, <c>at</c> only → <see cref="CommandMode.Shell"/>.
        /// </summary>
        private void DetectShell(IModemLog log, CancellationToken cancellationToken)
        {
            Channel.Mode = CommandMode.Shell;
            string prompt = Channel.Prompt ?? Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken)
                ?? throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                    "The console on " + Channel.Transport.Name + " is a Zephyr shell (it answered 'command not found'), but it prints no prompt, and a shell command is only known to be over when the next prompt arrives.",
                    "Turn the prompt on (shell prompt on, or CONFIG_SHELL_PROMPT_UART), or connect to the board's raw AT console (at_client).");

            bool hasCred = false;
            string credAnswer = "no answer";
            ShellResponse list = Channel.ExecuteShell(new ShellRequest("cred list") { Timeout = _options.DetectTimeout + _options.DefaultTimeout }, log, cancellationToken);
            foreach (string line in list.Lines)
            {
                string text = line.Trim();
                if (s_credentialsFound.IsMatch(text))
                {
                    hasCred = true;
                    credAnswer = text;
                }
                else if (AtResponseCollector.IsCommandNotFound(text))
                {
                    credAnswer = text;
                }
            }

            bool hasAt = false;
            string atAnswer = "no answer";
            try
            {
                AtResponse at = Channel.Execute(new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout, DetectShell = true }, log, cancellationToken);
                hasAt = !at.ShellAnswered;
                atAnswer = at.FinalLine;
                if (hasAt && !at.IsOk)
                {
                    log.Warning("The modem refused AT+CMEE=1 (" + at.FinalLine + "): errors will be reported without CME codes.");
                }
            }
            catch (ModemTimeoutException)
            {
                // 'at' that never answers: taken as absent; the console is resynchronised next.
                atAnswer = "no answer to 'at AT+CMEE=1'";
            }

            _seenRestarts = Channel.RestartCount;
            if (!hasCred && !hasAt)
            {
                throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                    "The console on " + Channel.Transport.Name + " is a Zephyr shell (prompt '" + prompt + "') with neither NCS's 'at' command nor the TLS credentials shell 'cred' ('cred list' answered '"
                    + credAnswer + "', 'at AT+CMEE=1' answered '" + atAnswer + "'): nothing reaches the modem's credentials through it.",
                    "Build the firmware with CONFIG_AT_SHELL=y (NCS at_shell) or CONFIG_TLS_CREDENTIALS_SHELL=y, or connect to the board's raw AT console (at_client); check that this is the right port.");
            }

            Channel.Mode = hasCred && hasAt ? CommandMode.CredAndAt : hasCred ? CommandMode.Cred : CommandMode.Shell;
            log.Verbose("Command mode: " + Describe(Channel.Mode) + " (prompt '" + prompt + "'; 'cred list' answered '" + credAnswer + "', 'at AT+CMEE=1' answered '" + atAnswer + "').");
            if (!hasAt)
            {
                log.Verbose("This shell has no 'at' command: the model, firmware, IMEI and functional mode cannot be read and stay empty; credentials go through 'cred'.");
            }
        }

        /// <summary>-CommandMode Shell, Cred or CredAndAt: learn the prompt (a shell command is over when it comes back).</summary>
        private void EnterForcedShell(IModemLog log, CancellationToken cancellationToken)
        {
            if (Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken) is null)
            {
                if (Channel.Mode != CommandMode.Shell)
                {
                    throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                        "-CommandMode " + Channel.Mode + " needs a Zephyr shell, but nothing on " + Channel.Transport.Name + " answered an empty line with a prompt.",
                        "Check the port and that the firmware runs a shell with 'cred' (CONFIG_TLS_CREDENTIALS_SHELL=y) and a prompt; or use -CommandMode Auto to detect the console.");
                }

                // The 'at' shell without a prompt: replies still end in OK or ERROR.
                log.Verbose("No shell prompt came back: 'at' replies are taken as over at their OK or ERROR.");
            }
        }

        /// <summary>The console in words.</summary>
        public static string Describe(CommandMode mode) => mode switch
        {
            CommandMode.At => "raw AT console",
            CommandMode.Shell => "Zephyr shell with 'at' (AT commands and credentials as at '<command>')",
            CommandMode.Cred => "Zephyr shell with 'cred' and no 'at' (credentials through the TLS credentials shell; no AT commands)",
            CommandMode.CredAndAt => "Zephyr shell with 'cred' and 'at' (credentials through the TLS credentials shell, other AT commands through 'at')",
            _ => "not detected yet",
        };

        private bool AnswersAt(IModemLog log, CancellationToken cancellationToken)
        {
            try
            {
                bool ok = Channel.Execute(new AtRequest("AT") { Timeout = _options.DetectTimeout }, log, cancellationToken).IsOk
                    && Channel.DrainLateReplies(_options.SettleTime, log, cancellationToken) == 0;
                if (ok)
                {
                    Channel.Execute(new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout }, log, cancellationToken);
                }

                return ok;
            }
            catch (ModemTimeoutException)
            {
                return false;
            }
        }

        /// <summary>Sends AT+CMEE=1; true when the modem accepted it. <paramref name="quiet"/> skips the warning (the caller verifies the mode).</summary>
        private bool EnableNumericErrors(AtRequest cmee, IModemLog log, CancellationToken cancellationToken, bool quiet) =>
            SendNumericErrors(cmee, log, cancellationToken, quiet).IsOk;

        private AtResponse SendNumericErrors(AtRequest cmee, IModemLog log, CancellationToken cancellationToken, bool quiet, bool deferSettle = false)
        {
            AtResponse response = Channel.Execute(cmee, log, cancellationToken);
            if (response.ShellAnswered)
            {
                return response; // a Zephyr shell: the caller probes it
            }

            if (deferSettle && response.IsOk && response.Lines.Count == 0 && response.Unsolicited.Count == 0)
            {
                // A clean OK with the identity read next: the replies of AT+CGMM and AT+CGMR show whether
                // this OK was a late one (Identify checks them), so the quiet-line wait is only paid then.
                _settleDeferred = true;
                _seenRestarts = Channel.RestartCount;
                return response;
            }

            // The answer may have been a late one to an earlier program's command (the modem was still
            // busy, so ours was lost or cut): if more replies follow unasked, ask again until the line
            // is quiet, so that no later answer is taken for the wrong command.
            WaitForQuietLine(log, cancellationToken, () =>
            {
                log.Verbose("Discarded late replies to an earlier command; asking again.");
                response = Channel.Execute(new AtRequest(cmee.Command) { Timeout = cmee.Timeout ?? _options.DetectTimeout }, log, cancellationToken);
            });

            if (!response.IsOk && !quiet)
            {
                log.Warning("The modem refused AT+CMEE=1 (" + response.FinalLine + "): errors will be reported without CME codes.");
            }

            _seenRestarts = Channel.RestartCount;
            return response;
        }

        // Up to five windows of SettleTime: each one that brings late replies is followed by afterLateReplies
        // (asking again), until a window stays quiet.
        private void WaitForQuietLine(IModemLog log, CancellationToken cancellationToken, Action? afterLateReplies = null)
        {
            for (int attempt = 0; attempt < 5 && Channel.DrainLateReplies(_options.SettleTime, log, cancellationToken) > 0; attempt++)
            {
                afterLateReplies?.Invoke();
            }
        }
    }
}
