using Nrf91Cmng.Core.Fleet;

namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>
    /// Gathers from a connected modem what <see cref="ReadinessEngine"/> judges: identity, device
    /// UUID, the list, the clock and the contents it can read back, plus what the plan and the
    /// provisioning record say about this modem. Reads only: nothing is written and the functional
    /// mode is never changed.
    /// </summary>
    public static class ReadinessReader
    {
        /// <summary>
        /// Fills the modem's part of <paramref name="input"/> (whose settings and file expectations the
        /// caller set): Firmware, Model, Imei, DeviceUuid, Listed, ModemClock, ReadBack; Expected from
        /// <paramref name="plan"/> when given; Record from <paramref name="recordPath"/> (a records
        /// folder or one record file) when given. Returns the record file used, or null.
        /// </summary>
        /// <exception cref="ModemException">The modem failed, or the record is invalid or belongs to another modem.</exception>
        public static string? Read(ModemClient client, ICredentialStore store, ReadinessInput input, IReadOnlyList<PlanEntry>? plan, string? recordPath,
            IModemLog log, CancellationToken cancellationToken)
        {
            string? recordFile = null;
            using (client.Exclusive())
            {
                ModemIdentity identity = client.Identity;
                input.Firmware = identity.Firmware;
                input.Model = identity.Model;
                input.Imei = identity.Imei;
                input.DeviceUuid = client.TryReadDeviceUuid(log, cancellationToken);
                IReadOnlyList<CredentialEntry> listed = store.List(null, null, log, cancellationToken);
                input.Listed = listed;
                input.ModemClock = client.ReadClock(log, cancellationToken);
                if (plan is not null)
                {
                    input.Expected = ExpectedCredential.FromPlan(plan, identity.Imei, input.DeviceUuid);
                }

                if (recordPath is not null)
                {
                    input.Record = LoadRecord(recordPath, identity.Imei, input.DeviceUuid, log, out recordFile);
                }

                IEnumerable<uint> reported = input.SecTags
                    ?? listed.Select(e => e.SecTag).Where(t => t <= CredentialRules.LastTlsDecryptSecTag).Concat(input.Expected.Select(e => e.SecTag));
                input.ReadBack = ReadBack(client, store, listed, new HashSet<uint>(reported), input.Expected, log, cancellationToken);
            }

            return recordFile;
        }

        private static List<CredentialEntry> ReadBack(ModemClient client, ICredentialStore store, IReadOnlyList<CredentialEntry> listed, HashSet<uint> tags, IReadOnlyList<ExpectedCredential> expected,
            IModemLog log, CancellationToken cancellationToken)
        {
            var read = new List<CredentialEntry>();
            foreach (CredentialEntry entry in listed.Where(e => tags.Contains(e.SecTag) && CredentialRules.MayTryToRead(e.Type)
                && !CredentialRules.IsModemOwned(e.SecTag, e.Type, store.Firmware.Is91x1)))
            {
                // Content the plan or a file gives, and whose digest the modem lists, need not cross the line again.
                if (entry.Sha256 is string digest && expected.Any(x => x.SecTag == entry.SecTag && x.Type == entry.Type && x.Content is not null
                    && CredentialContent.DigestVariants(x.Content, digest).IsMatch))
                {
                    continue;
                }

                string what = "The " + CredentialRules.Describe(entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture);
                try
                {
                    CredentialEntry? content = CredentialReader.TryRead(store, entry.SecTag, entry.Type, log, cancellationToken, out string? why);
                    if (content?.Content is not null)
                    {
                        read.Add(content);
                    }
                    else
                    {
                        log.Verbose(what + " cannot be read back on this firmware (" + why + "); it is judged by its digest.");
                    }
                }
                catch (ModemException ex) when (ex.ErrorId == ErrorIds.CredentialReadBackMismatch
                    || (ex.Category == ModemErrorCategory.OperationTimeout && client.Channel.IsUsable))
                {
                    // A reply longer than the AT host's buffer is cut off and never completes: the
                    // session resynchronises, and the entry is judged by its digest.
                    log.Warning(what + " could not be read back: " + ex.Message
                        + " It is judged by its digest only; pass the file it should hold (-RootCA, -Plan) to check its content.");
                }
            }

            return read;
        }

        private static ProvisioningRecord? LoadRecord(string path, string? imei, System.Guid? uuid, IModemLog log, out string? file)
        {
            if (File.Exists(path))
            {
                ProvisioningRecord record = ProvisioningRecord.Load(path);
                record.EnsureBelongsTo(imei, uuid, path);
                file = path;
                return record;
            }

            if (!Directory.Exists(path))
            {
                throw new ModemException(ErrorIds.ProvisioningRecordInvalid, ModemErrorCategory.ObjectNotFound,
                    "-RecordPath " + path + " is neither a records folder nor a record file.", "Give the folder Invoke-ModemProvisioning -RecordPath wrote to, or one record file in it.");
            }

            file = ProvisioningRecordFile.Find(path, uuid, imei);
            if (file is null)
            {
                log.Verbose("No provisioning record of this modem in " + path + ".");
                return null;
            }

            return ProvisioningRecordFile.Load(path, uuid, imei);
        }
    }
}
