using System.Linq;
using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>Every rendered script is parsed by the real PowerShell parser; assertions are on its AST.</summary>
    public class PowerShellScriptTests
    {
        private const string Console = @"C:\Program Files\Mendix\Service Console";

        [Fact]
        public void Start_imports_the_module_then_runs_start_mxapp_with_the_app_name()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.StartApp(Console, "app", synchronizeDatabase: false, stoppedWithinSeconds: 120));

            Assert.Equal(new[] { "Import-Module", "Get-Service", "Start-MxApp", "Get-Service", "Start-Sleep", "Get-Service", "Write-Output" }, commands.Select(c => c.Name));
            Assert.Equal(@"C:\Program Files\Mendix\Service Console\Mendix.Service.Commands.dll", commands[0].Parameters["Name"]);
            Assert.Equal("app", commands[2].Parameters["Name"]);
            Assert.Single(commands[2].Parameters);
        }

        [Fact]
        public void Start_with_synchronisation_adds_only_the_SynchronizeDatabase_switch()
        {
            var start = PowerShellAst.Commands(PowerShellScript.StartApp(Console, "app", synchronizeDatabase: true, stoppedWithinSeconds: 120)).Single(c => c.Name == "Start-MxApp");

            Assert.Equal("Start-MxApp", start.Name);
            Assert.Equal(new[] { "Name", "SynchronizeDatabase" }, start.Parameters.Keys.OrderBy(k => k));
            Assert.Null(start.Parameters["SynchronizeDatabase"]);
        }

        [Theory]
        [InlineData("it's")]
        [InlineData("a'; Remove-Item -Recurse C:\\ ; '")]
        [InlineData("$(Stop-Computer)")]
        [InlineData("\"double\" `back`")]
        public void Values_with_quotes_or_code_stay_one_literal_argument(string hostile)
        {
            var folder = @"D:\Console " + hostile;
            var commands = PowerShellAst.Commands(PowerShellScript.StartApp(folder, hostile, synchronizeDatabase: false, stoppedWithinSeconds: 120));

            Assert.Equal(new[] { "Import-Module", "Get-Service", "Start-MxApp", "Get-Service", "Start-Sleep", "Get-Service", "Write-Output" }, commands.Select(c => c.Name));
            Assert.Equal(folder + @"\Mendix.Service.Commands.dll", commands[0].Parameters["Name"]);
            Assert.Equal(hostile, commands[2].Parameters["Name"]);
        }

        [Fact]
        public void The_app_query_uses_Get_MxApp_and_the_app_service()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.QueryApp(Console, "app", 120));

            Assert.Contains(commands, c => c.Name == "Get-MxApp" && c.Parameters["Name"] == "app");
            Assert.Contains(commands, c => c.Name == "Get-Service" && c.Parameters["Name"] == "app");
            Assert.DoesNotContain(commands, c => c.Name == "Start-MxApp" || c.Name == "Stop-MxApp" || c.Name == "New-MxApp");
        }

        [Fact]
        public void The_disk_inspection_finds_the_disk_by_lun_and_changes_nothing()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.InspectDataDisk(3));

            Assert.Contains(commands, c => c.Name == "Get-PhysicalDisk");
            Assert.Contains(commands, c => c.Name == "Get-Disk");
            var changing = new[] { "Initialize-Disk", "New-Partition", "Format-Volume", "Set-Disk", "Clear-Disk", "Remove-Partition" };
            Assert.DoesNotContain(commands, c => changing.Contains(c.Name));
            var ast = PowerShellAst.Parse(PowerShellScript.InspectDataDisk(3));
            Assert.Contains(ast.FindAll(n => n is System.Management.Automation.Language.AssignmentStatementAst, true).Select(n => n.Extent.Text), text => text == "$lun = 3");
        }

        [Fact]
        public void The_volume_extension_rescans_then_grows_the_partition_by_its_letter_to_the_largest_size()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.ExtendDataVolume('M')).Where(c => c.Name != "Write-Output").ToList();

            Assert.Equal(new[] { "Update-HostStorageCache", "Get-Partition", "Get-PartitionSupportedSize", "Resize-Partition", "Get-Partition" }, commands.Select(c => c.Name));
            Assert.All(commands.Skip(1), c => Assert.Equal("M", c.Parameters["DriveLetter"]));
            Assert.Equal("$largest", commands.Single(c => c.Name == "Resize-Partition").Parameters["Size"]);
            var changing = new[] { "Initialize-Disk", "New-Partition", "Format-Volume", "Set-Disk", "Clear-Disk", "Remove-Partition" };
            Assert.DoesNotContain(commands, c => changing.Contains(c.Name));
        }

        [Fact]
        public void The_disk_initialisation_makes_one_gpt_ntfs_volume_with_the_letter()
        {
            var commands = PowerShellAst.Commands(PowerShellScript.InitializeDataDisk(2, 'M', "MendixData"));

            var initialize = Assert.Single(commands, c => c.Name == "Initialize-Disk");
            Assert.Equal("2", initialize.Parameters["Number"]);
            Assert.Equal("GPT", initialize.Parameters["PartitionStyle"]);
            var partition = Assert.Single(commands, c => c.Name == "New-Partition");
            Assert.Equal("M", partition.Parameters["DriveLetter"]);
            Assert.True(partition.Parameters.ContainsKey("UseMaximumSize"));
            var format = Assert.Single(commands, c => c.Name == "Format-Volume");
            Assert.Equal("NTFS", format.Parameters["FileSystem"]);
            Assert.Equal("MendixData", format.Parameters["NewFileSystemLabel"]);
            Assert.Contains(commands, c => c.Name == "Get-Volume" && c.Parameters["DriveLetter"] == "M");
        }

        [Fact]
        public void Quote_doubles_single_quotes()
        {
            Assert.Equal("'it''s'", PowerShellScript.Quote("it's"));
            Assert.Equal("''", PowerShellScript.Quote(string.Empty));
        }
    }
}
