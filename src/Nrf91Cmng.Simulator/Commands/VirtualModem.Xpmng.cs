namespace Nrf91Cmng.Simulator
{
    /// <content><c>%XPMNG</c> (public keys for modem authentication) and <c>%XSUDO</c> (stub).</content>
    public sealed partial class VirtualModem
    {
        private Result Xpmng(IReadOnlyList<AtParameter> p, Outcome outcome)
        {
            if (p.Count < 1 || !p[0].TryInt(out int opcode))
            {
                return Cme(50);
            }

            if (opcode == 0)
            {
                if (p.Count < 2 || p.Count > 3 || !p[1].Quoted || p[1].Text.Length == 0)
                {
                    return Cme(50);
                }

                uint slot = 0;
                if (p.Count == 3 && (!p[2].TryUInt(out slot) || slot > 9))
                {
                    return Cme(50);
                }

                if (Profile.IsLteActive(_cfun))
                {
                    return Cme(518);
                }

                if (PowerOffWarningBlocks)
                {
                    return Cme(528);
                }

                var key = new CredentialKey(slot, 5);
                if (_store.ContainsKey(key))
                {
                    return Cme(519);
                }

                byte[] content = BridgeContent(Latin1Bytes(p[1].Text), outcome);
                if (!HasRoomFor(key, content.Length))
                {
                    return Cme(515);
                }

                content = CorruptStoredContent(content, outcome);
                _store[key] = new StoredCredential(content, null, CredentialOrigin.Written);
                outcome.Modelled += _delays.CredentialWrite + TimeSpan.FromTicks(_delays.CredentialWritePerByte.Ticks * content.Length);
                return Result.Ok();
            }

            if (opcode == 2)
            {
                uint slot = 0;
                if (p.Count > 2 || (p.Count == 2 && (!p[1].TryUInt(out slot) || slot > 9)))
                {
                    return Cme(50);
                }

                outcome.Modelled += _delays.CredentialRead;
                if (!_store.TryGetValue(new CredentialKey(slot, 5), out StoredCredential? stored))
                {
                    return Cme(513);
                }

                return Result.Ok("%XPMNG: \"" + Latin1String(stored.Content, 0, stored.Content.Length) + "\"\r\n");
            }

            return Cme(50);
        }

        /// <summary>Not modelled: no public key → 513, otherwise the signature is taken as wrong (520).</summary>
        private Result Xsudo(AtCommandPart cmd)
        {
            if (!Profile.SupportsPublicKeyManagement)
            {
                return Cme(0);
            }

            if (cmd.Form != AtForm.Set || cmd.Parameters.Count < 2)
            {
                return Cme(50);
            }

            uint slot = 0;
            if (cmd.Parameters.Count >= 3 && !cmd.Parameters[2].TryUInt(out slot))
            {
                return Cme(50);
            }

            return _store.ContainsKey(new CredentialKey(slot, 5)) ? Cme(520) : Cme(513);
        }
    }
}
