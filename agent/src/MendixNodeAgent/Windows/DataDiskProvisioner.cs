using System.Globalization;
using System.Linq;
using MendixNodeAgent.Logging;

namespace MendixNodeAgent.Windows
{
    /// <summary>
    /// Brings the data disk online when it is still raw, and never formats a disk that holds anything; grows the
    /// data volume over its disk when the disk was made larger (config dataDiskSizeGb raised).
    /// </summary>
    internal sealed class DataDiskProvisioner
    {
        private readonly IDataDisk disk;
        private readonly AgentLog log;

        public DataDiskProvisioner(IDataDisk disk, AgentLog log)
        {
            this.disk = disk;
            this.log = log;
        }

        /// <returns>true when the disk was initialised, or its volume extended, in this run.</returns>
        public bool Ensure(int lun, char driveLetter)
        {
            var state = disk.Inspect(lun);
            switch (state.Finding)
            {
                case DataDiskFinding.NotFound:
                    throw new AgentFailureException($"data disk: no data disk found at LUN {lun}; attach the data disk at node.dataDisk.lun {lun}");
                case DataDiskFinding.Ambiguous:
                    throw new AgentFailureException($"data disk: more than one disk (numbers {state.Detail}) answers to LUN {lun}; not touching any of them");
            }

            if (state.DriveLetters.Contains(driveLetter))
            {
                log.Info($"data disk: disk {state.DiskNumber} at LUN {lun} is already online as {driveLetter}:");
                return ExtendVolume(state.DiskNumber, driveLetter);
            }

            if (!state.IsRaw)
            {
                var letters = state.DriveLetters.Count == 0 ? "no drive letter" : "drive letter(s) " + string.Join(", ", state.DriveLetters);
                throw new AgentFailureException(
                    $"data disk: disk {state.DiskNumber} at LUN {lun} already holds data ({state.PartitionStyle}, {state.PartitionCount} partition(s), {letters}) but not drive letter {driveLetter}:; it was not touched. Give its volume letter {driveLetter}: or attach an empty disk");
            }

            log.Info($"data disk: disk {state.DiskNumber} at LUN {lun} is raw; initialising GPT, one NTFS partition, drive letter {driveLetter}:");
            disk.Initialize(state.DiskNumber, driveLetter);
            log.Info($"data disk: disk {state.DiskNumber} is online as {driveLetter}:");
            return true;
        }

        private bool ExtendVolume(int diskNumber, char driveLetter)
        {
            var extension = disk.ExtendVolume(driveLetter);
            if (extension.Extended)
            {
                log.Info($"data disk: volume {driveLetter}: extended from {Gib(extension.SizeBefore)} to {Gib(extension.SizeAfter)}, the size of disk {diskNumber}");
            }
            else
            {
                log.Info($"data disk: volume {driveLetter}: already fills disk {diskNumber} ({Gib(extension.SizeBefore)}), nothing to do");
            }

            return extension.Extended;
        }

        private static string Gib(ulong bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }
}
