using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Windows
{
    internal enum DataDiskFinding
    {
        NotFound,
        Ambiguous,
        Found,
    }

    /// <summary>What sits at the data disk's LUN.</summary>
    internal sealed class DataDiskState
    {
        public DataDiskState(DataDiskFinding finding, int diskNumber, string partitionStyle, int partitionCount, IReadOnlyList<char> driveLetters, string detail = "")
        {
            Finding = finding;
            DiskNumber = diskNumber;
            PartitionStyle = partitionStyle;
            PartitionCount = partitionCount;
            DriveLetters = driveLetters;
            Detail = detail;
        }

        public DataDiskFinding Finding { get; }

        public int DiskNumber { get; }

        public string PartitionStyle { get; }

        public int PartitionCount { get; }

        public IReadOnlyList<char> DriveLetters { get; }

        public string Detail { get; }

        public bool IsRaw => string.Equals(PartitionStyle, "RAW", StringComparison.OrdinalIgnoreCase) && PartitionCount == 0;

        public static DataDiskState NotFound() => new DataDiskState(DataDiskFinding.NotFound, -1, string.Empty, 0, new char[0]);

        public static DataDiskState Ambiguous(string diskNumbers) => new DataDiskState(DataDiskFinding.Ambiguous, -1, string.Empty, 0, new char[0], diskNumbers);

        public static DataDiskState Found(int number, string partitionStyle, int partitions, IReadOnlyList<char> letters) =>
            new DataDiskState(DataDiskFinding.Found, number, partitionStyle, partitions, letters);
    }

    /// <summary>What extending the data volume to its disk found and did, sizes in bytes.</summary>
    internal sealed class VolumeExtension
    {
        public VolumeExtension(ulong sizeBefore, ulong sizeAfter)
        {
            SizeBefore = sizeBefore;
            SizeAfter = sizeAfter;
        }

        public ulong SizeBefore { get; }

        public ulong SizeAfter { get; }

        public bool Extended => SizeAfter > SizeBefore;
    }

    internal interface IDataDisk
    {
        DataDiskState Inspect(int lun);

        void Initialize(int diskNumber, char driveLetter);

        /// <summary>Grows the volume with the letter over its disk's free space, as after the disk was made larger.</summary>
        VolumeExtension ExtendVolume(char driveLetter);
    }

    /// <summary>
    /// The Windows Storage cmdlets (Get-PhysicalDisk, Get-Disk, Initialize-Disk, New-Partition, Format-Volume,
    /// Update-HostStorageCache, Get-PartitionSupportedSize, Resize-Partition).
    /// </summary>
    internal sealed class WindowsDataDisk : IDataDisk
    {
        public const string VolumeLabel = "MendixData";

        private readonly IPowerShellRunner powerShell;

        public WindowsDataDisk(IPowerShellRunner powerShell)
        {
            this.powerShell = powerShell;
        }

        public DataDiskState Inspect(int lun)
        {
            var result = powerShell.Run(PowerShellScript.InspectDataDisk(lun));
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"cannot inspect the disk at LUN {lun}: {result.Errors.Trim()}");
            }

            return ParseInspection(result.Output, lun);
        }

        public void Initialize(int diskNumber, char driveLetter)
        {
            var result = powerShell.Run(PowerShellScript.InitializeDataDisk(diskNumber, driveLetter, VolumeLabel));
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"cannot bring disk {diskNumber} online as {driveLetter}: {result.Errors.Trim()}");
            }
        }

        public VolumeExtension ExtendVolume(char driveLetter)
        {
            var result = powerShell.Run(PowerShellScript.ExtendDataVolume(driveLetter));
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"cannot extend volume {driveLetter}: over its disk: {result.Errors.Trim()}");
            }

            return ParseExtension(result.Output, driveLetter);
        }

        internal static VolumeExtension ParseExtension(string output, char driveLetter)
        {
            var values = KeyValues(output);
            if (!values.TryGetValue("sizeBefore", out var before) || !ulong.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var sizeBefore)
                || !values.TryGetValue("sizeAfter", out var after) || !ulong.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var sizeAfter))
            {
                throw new AgentFailureException($"unexpected answer while extending volume {driveLetter}: '{output.Trim()}'");
            }

            return new VolumeExtension(sizeBefore, sizeAfter);
        }

        private static Dictionary<string, string> KeyValues(string output)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var raw in output.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var line = raw.Trim();
                var equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line.Substring(0, equals)] = line.Substring(equals + 1);
                }
            }

            return values;
        }

        internal static DataDiskState ParseInspection(string output, int lun)
        {
            var values = KeyValues(output);

            values.TryGetValue("found", out var found);
            if (found == "none")
            {
                return DataDiskState.NotFound();
            }

            if (found != null && found.StartsWith("many;", StringComparison.Ordinal))
            {
                return DataDiskState.Ambiguous(found.Substring("many;".Length));
            }

            if (found != "one"
                || !values.TryGetValue("number", out var number) || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var diskNumber)
                || !values.TryGetValue("partitions", out var partitions) || !int.TryParse(partitions, NumberStyles.None, CultureInfo.InvariantCulture, out var partitionCount))
            {
                throw new AgentFailureException($"unexpected answer while inspecting the disk at LUN {lun}: '{output.Trim()}'");
            }

            values.TryGetValue("partitionStyle", out var style);
            values.TryGetValue("letters", out var letters);
            var driveLetters = (letters ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(letter => char.ToUpperInvariant(letter.Trim()[0]))
                .ToArray();
            return DataDiskState.Found(diskNumber, style ?? string.Empty, partitionCount, driveLetters);
        }
    }
}
