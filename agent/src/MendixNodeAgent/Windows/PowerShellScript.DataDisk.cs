using System.Globalization;

namespace MendixNodeAgent.Windows
{
    /// <summary>The data disk's scripts: find it by LUN, bring a raw one online, grow its volume to the disk.</summary>
    internal static partial class PowerShellScript
    {
        // Azure's resource (temporary) disk carries this volume label; it is never the data disk.
        private const string AzureResourceDiskLabel = "Temporary Storage";

        /// <summary>
        /// Finds the data disk at an Azure LUN and prints what is on it as key=value lines:
        /// 'found=none', 'found=many;N,M' or 'found=one' with number, partitionStyle, partitions and letters.
        /// Azure data disks show their LUN at the end of Get-PhysicalDisk's PhysicalLocation
        /// ("Integrated : Adapter 1 : Port 0 : Target 0 : LUN 2"), whose DeviceId is the disk number
        /// (learn.microsoft.com/troubleshoot/windows-server/backup-and-storage/manage-disks-standalone-storage-spaces).
        /// The boot/system disk and Azure's resource disk are never candidates.
        /// </summary>
        public static string InspectDataDisk(int lun)
        {
            var lunText = lun.ToString(CultureInfo.InvariantCulture);
            var script = StopOnError();
            script.AppendLine($"$lun = {lunText}");
            script.AppendLine("$candidates = @(Get-PhysicalDisk | Where-Object { ($_.PhysicalLocation -match 'LUN (\\d+)$') -and ([int]$Matches[1] -eq $lun) })");
            script.AppendLine("$disks = @($candidates | ForEach-Object { Get-Disk -Number ([int]$_.DeviceId) } | Where-Object {");
            script.AppendLine("    $labels = @(Get-Partition -DiskNumber $_.Number -ErrorAction SilentlyContinue | Get-Volume -ErrorAction SilentlyContinue | ForEach-Object { $_.FileSystemLabel })");
            script.AppendLine($"    (-not $_.IsBoot) -and (-not $_.IsSystem) -and ($labels -notcontains {Quote(AzureResourceDiskLabel)})");
            script.AppendLine("})");
            script.AppendLine("if ($disks.Count -eq 0) { Write-Output 'found=none'; exit 0 }");
            script.AppendLine("if ($disks.Count -gt 1) { Write-Output ('found=many;' + (($disks | ForEach-Object { $_.Number }) -join ',')); exit 0 }");
            script.AppendLine("$disk = $disks[0]");
            script.AppendLine("$partitions = @(Get-Partition -DiskNumber $disk.Number -ErrorAction SilentlyContinue)");
            script.AppendLine("$letters = @($partitions | Where-Object { $_.DriveLetter -and $_.DriveLetter -ne [char]0 } | ForEach-Object { [string]$_.DriveLetter }) -join ','");
            script.AppendLine("Write-Output 'found=one'");
            script.AppendLine("Write-Output ('number=' + $disk.Number)");
            script.AppendLine("Write-Output ('partitionStyle=' + $disk.PartitionStyle)");
            script.AppendLine("Write-Output ('partitions=' + $partitions.Count)");
            script.AppendLine("Write-Output ('letters=' + $letters)");
            return script.ToString();
        }

        /// <summary>
        /// Initialises a raw disk as GPT, one partition over all of it, NTFS, the given letter
        /// (Initialize-Disk | New-Partition | Format-Volume as in learn.microsoft.com/azure/virtual-machines/windows/attach-disk-ps).
        /// Re-checks that the disk is still raw and the letter free, so it can never format a disk with data.
        /// </summary>
        public static string InitializeDataDisk(int diskNumber, char driveLetter, string volumeLabel)
        {
            var number = diskNumber.ToString(CultureInfo.InvariantCulture);
            var letter = Quote(driveLetter.ToString());
            var script = StopOnError();
            script.AppendLine($"$disk = Get-Disk -Number {number}");
            script.AppendLine($"if ($disk.PartitionStyle -ne 'RAW') {{ throw ('disk {number} is no longer raw (' + $disk.PartitionStyle + '); it was not touched') }}");
            script.AppendLine($"if ($null -ne (Get-Volume -DriveLetter {letter} -ErrorAction SilentlyContinue)) {{ throw ('drive letter ' + {letter} + ': is already used by another volume') }}");
            script.AppendLine($"if ($disk.IsOffline) {{ Set-Disk -Number {number} -IsOffline $false }}");
            script.AppendLine($"if ($disk.IsReadOnly) {{ Set-Disk -Number {number} -IsReadOnly $false }}");
            script.AppendLine($"Initialize-Disk -Number {number} -PartitionStyle GPT");
            script.AppendLine($"$partition = New-Partition -DiskNumber {number} -UseMaximumSize -DriveLetter {letter}");
            script.AppendLine($"$null = Format-Volume -Partition $partition -FileSystem NTFS -NewFileSystemLabel {Quote(volumeLabel)} -Confirm:$false");
            return script.ToString();
        }

        /// <summary>
        /// Grows the volume with the drive letter over the free space after it on its disk, as when
        /// dataDiskSizeGb was raised: Azure grows an attached data disk without stopping the VM, but
        /// the volume keeps its size until something extends it. Update-HostStorageCache rescans the
        /// disks first ("equivalent to a VDS Rescan": learn.microsoft.com/powershell/module/storage/update-hoststoragecache),
        /// so that Windows sees the disk's new size; Get-PartitionSupportedSize -DriveLetter gives the
        /// largest size the partition can take (SizeMax), and Resize-Partition -DriveLetter -Size grows the
        /// partition and its file system to it (learn.microsoft.com/powershell/module/storage/resize-partition).
        /// A gap under 1 MB is left: Windows extends by whole extents of at least 1 MB. Prints
        /// 'extended=true|false', 'sizeBefore=' and 'sizeAfter=' in bytes.
        /// </summary>
        public static string ExtendDataVolume(char driveLetter)
        {
            var letter = Quote(driveLetter.ToString());
            var script = StopOnError();
            script.AppendLine("Update-HostStorageCache");
            script.AppendLine($"$before = [uint64](Get-Partition -DriveLetter {letter}).Size");
            script.AppendLine($"$largest = [uint64](Get-PartitionSupportedSize -DriveLetter {letter}).SizeMax");
            script.AppendLine("$after = $before");
            script.AppendLine("if ($largest -ge $before + 1MB) {");
            script.AppendLine($"    Resize-Partition -DriveLetter {letter} -Size $largest");
            script.AppendLine($"    $after = [uint64](Get-Partition -DriveLetter {letter}).Size");
            script.AppendLine("}");
            script.AppendLine("Write-Output ('extended=' + ($after -gt $before).ToString().ToLowerInvariant())");
            script.AppendLine("Write-Output ('sizeBefore=' + $before)");
            script.AppendLine("Write-Output ('sizeAfter=' + $after)");
            return script.ToString();
        }
    }
}
