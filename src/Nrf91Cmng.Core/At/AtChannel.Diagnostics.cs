namespace Nrf91Cmng.Core.At
{
    /// <summary>What a timeout most likely means, from what came back.</summary>
    public sealed partial class AtChannel
    {
        private string LikelyCause(AtRequest request, string framed, AtResponseCollector collector)
        {
            var cause = new StringBuilder();
            int quotes = 0;
            foreach (char c in framed)
            {
                if (c == '"')
                {
                    quotes++;
                }
            }

            if (Mode == CommandMode.At && quotes % 2 == 1)
            {
                cause.Append("the command has an odd number of double quotes, so the AT host still waits for the closing quote and takes every terminator as content. ");
            }
            else if (collector.InsideQuote)
            {
                cause.Append("the reply's quoted string never closed: the reply was cut off (an AT host truncates replies longer than its buffer). ");
            }
            else if (request.SlowBecause is string slow)
            {
                cause.Append(slow).Append(" took longer than the timeout; raise -TimeoutSeconds. ");
            }
            else if (collector.Lines.Count == 0 && collector.Unsolicited.Count == 0 && collector.EchoLines == 0 && AnsweredCount > 0)
            {
                cause.Append("nothing came back, although the modem answered ").Append(AnsweredCount).Append(" earlier command(s) on this connection: it may be busy, have lost power or restarted, or another program on the port may be taking its replies. ");
            }
            else if (collector.Lines.Count == 0 && collector.Unsolicited.Count == 0 && collector.EchoLines == 0)
            {
                cause.Append("nothing at all came back: the line terminator may not match the firmware's (try -LineEnding Cr or CrLf), flow control may be wrong (-Handshake None for boards without RTS/CTS), the baud rate may differ, or the board is not running an AT host firmware (at_client, serial_lte_modem). ");
            }
            else
            {
                cause.Append("the modem answered only partly (").Append(collector.Lines.Count).Append(" response line(s), ")
                    .Append(collector.Unsolicited.Count).Append(" unsolicited line(s)); it may be busy or have restarted. ");
            }

            if (Mode == CommandMode.At && framed.Length >= MaxFramedLength)
            {
                cause.Append("The command is at the AT host's length limit; excess bytes are dropped silently. ");
            }

            return cause.ToString().Trim();
        }
    }
}
