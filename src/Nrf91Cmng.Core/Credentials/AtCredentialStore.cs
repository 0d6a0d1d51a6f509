using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// The credential store through the AT console: <c>AT%CMNG</c> list (1), read (2), write (0) and
    /// delete (3), one command each, with CME codes explained for the command family.
    /// </summary>
    public sealed class AtCredentialStore : ICredentialStore
    {
        private static readonly Regex s_cmng = new Regex(
            "^%CMNG:\\s*(?<tag>\\d+)\\s*,\\s*(?<type>\\d+)\\s*(?:,\\s*\"(?<sha>[^\"]*)\")?\\s*(?:,\\s*\"(?<content>.*)\")?\\s*$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);

        private static readonly Regex s_hex64 = new Regex("^[0-9A-Fa-f]{64}$", RegexOptions.CultureInvariant);

        private readonly ModemClient _client;

        /// <summary>The store of the modem <paramref name="client"/> talks to.</summary>
        public AtCredentialStore(ModemClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <inheritdoc />
        public string Location => _client.Channel.Transport.Name;

        /// <inheritdoc />
        public FirmwareInfo Firmware => _client.Identity.Firmware;

        /// <inheritdoc />
        public IFunctionalModeControl? FunctionalMode => _client;

        /// <inheritdoc />
        public IDisposable Exclusive() => _client.Exclusive();

        /// <inheritdoc />
        public IDisposable? TryExclusive(TimeSpan timeout) => _client.TryExclusive(timeout);

        /// <inheritdoc />
        public string DigestAfterWrite(string content) => CredentialContent.ComputeDigest(content);

        /// <inheritdoc />
        public IReadOnlyList<CredentialEntry> List(uint? secTag, CredentialType? type, IModemLog? log, CancellationToken cancellationToken)
        {
            if (type is not null && secTag is null)
            {
                throw new ArgumentException("A type filter needs a sec_tag.", nameof(type));
            }

            string command = "AT%CMNG=1"
                + (secTag is uint t ? "," + t.ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (type is CredentialType k ? "," + Number(k) : string.Empty);
            AtResponse response = _client.Execute(new AtRequest(command) { ResponsePrefix = "%CMNG:" }, CommandFamily.CredentialList, log, cancellationToken);
            var entries = new List<CredentialEntry>(response.Lines.Count);
            foreach (string line in response.Lines)
            {
                entries.Add(ParseEntry(line, withContent: false));
            }

            return entries;
        }

        /// <inheritdoc />
        public CredentialEntry Read(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%CMNG=2," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type);
            AtResponse response = _client.Execute(new AtRequest(command) { ResponsePrefix = "%CMNG:" }, CommandFamily.CredentialRead, log, cancellationToken);
            if (response.Lines.Count == 0)
            {
                throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "'" + command + "' answered OK without a %CMNG line.");
            }

            return ParseEntry(response.Lines[0], withContent: true);
        }

        /// <inheritdoc />
        public void Write(uint secTag, CredentialType type, string content, string? passphrase, bool replacing, IModemLog? log, CancellationToken cancellationToken)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            string head = "AT%CMNG=0," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type) + ",\"";
            string command = head + content + "\"" + (passphrase is null ? string.Empty : ",\"" + passphrase + "\"");
            var request = new AtRequest(command)
            {
                DisplayText = head + CommandRedactor.DescribeContent(content) + "\"" + (passphrase is null ? string.Empty : ",\"<passphrase hidden>\""),
                Timeout = _client.Options.WriteTimeout,
                SlowBecause = "writing the credential to flash",
            };
            _client.Execute(request, CommandFamily.CredentialWrite, log, cancellationToken,
                "Writing the " + CredentialRules.Describe(type) + " to sec_tag " + secTag.ToString(CultureInfo.InvariantCulture));
        }

        /// <inheritdoc />
        public void Delete(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%CMNG=3," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type);
            _client.Execute(new AtRequest(command) { Timeout = _client.Options.WriteTimeout }, CommandFamily.CredentialDelete, log, cancellationToken,
                "Deleting the " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>Parses one <c>%CMNG:</c> line.</summary>
        public static CredentialEntry ParseEntry(string line, bool withContent)
        {
            Match m = s_cmng.Match(line);
            if (!m.Success
                || !uint.TryParse(m.Groups["tag"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out uint tag)
                || !int.TryParse(m.Groups["type"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "Cannot parse the credential line '" + Messages.Shorten(line, 100) + "'.",
                    "Expected %CMNG: <sec_tag>,<type>,\"<sha256>\"; check that the port carries an nRF91 AT console.");
            }

            CredentialType type = CredentialRules.FromNumber(number);
            string? sha = null;
            bool placeholder = false;
            if (m.Groups["sha"].Success && m.Groups["sha"].Value.Length > 0)
            {
                string value = m.Groups["sha"].Value;
                if (!s_hex64.IsMatch(value))
                {
                    throw new ModemProtocolException(ErrorIds.UnexpectedResponse,
                        "The modem listed sec_tag " + tag.ToString(CultureInfo.InvariantCulture) + " type " + number.ToString(CultureInfo.InvariantCulture)
                        + " with a digest of " + value.Length.ToString(CultureInfo.InvariantCulture) + " characters; a SHA-256 has 64 hex digits.",
                        "The reply was corrupted on the line: retry; if it repeats, check the serial settings.");
                }

                placeholder = CredentialContent.IsPlaceholderDigest(value, type);
                sha = placeholder ? null : value.ToUpperInvariant();
            }

            string? content = withContent && m.Groups["content"].Success ? m.Groups["content"].Value : null;
            return new CredentialEntry(tag, type, sha, placeholder, content);
        }

        private static string Number(CredentialType type) => ((int)type).ToString(CultureInfo.InvariantCulture);
    }
}
