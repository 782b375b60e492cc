using MendixNodeAgent.Tests.Support;
using MendixNodeAgent.Windows;
using Xunit;

namespace MendixNodeAgent.Tests
{
    public class DataDiskTests
    {
        private static AgentRun RunWith(TempAppsRoot root, FakeDataDisk disk) =>
            AgentRun.Execute(AgentRun.OnSystem(root.Path, Fixtures.PathOf(Fixtures.Follower)),
                TestNode.With("mxdev-1", disk, new RecordingPowerShellRunner()));

        [Fact]
        public void A_raw_disk_at_the_blob_lun_is_initialised_with_the_blob_letter()
        {
            using (var root = new TempAppsRoot())
            {
                var disk = FakeDataDisk.Raw();

                var run = RunWith(root, disk);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { 0 }, disk.InspectedLuns);
                Assert.Equal(new[] { (2, 'M') }, disk.Initialized);
                Assert.Contains("disk 2 is online as M:", run.Output);
            }
        }

        [Fact]
        public void A_disk_already_online_with_the_right_letter_whose_volume_fills_it_is_left_alone()
        {
            using (var root = new TempAppsRoot())
            {
                var disk = FakeDataDisk.Online('M');

                var run = RunWith(root, disk);

                Assert.Equal(0, run.ExitCode);
                Assert.Empty(disk.Initialized);
                Assert.Empty(disk.Extended);
                Assert.Contains("data disk: disk 2 at LUN 0 is already online as M:", run.Output);
                Assert.Contains("data disk: volume M: already fills disk 2 (64.0 GiB), nothing to do", run.Output);
            }
        }

        [Fact]
        public void A_disk_made_larger_has_its_volume_extended_to_the_new_size_and_the_log_says_so()
        {
            using (var root = new TempAppsRoot())
            {
                var disk = FakeDataDisk.Online('M');
                disk.Volume = (64UL << 30, 128UL << 30);

                var run = RunWith(root, disk);

                Assert.Equal(0, run.ExitCode);
                Assert.Equal(new[] { 'M' }, disk.Extended);
                Assert.Empty(disk.Initialized);
                Assert.Contains("data disk: volume M: extended from 64.0 GiB to 128.0 GiB, the size of disk 2", run.Output);
            }
        }

        [Fact]
        public void The_extension_answer_is_parsed()
        {
            var extension = WindowsDataDisk.ParseExtension("extended=true\r\nsizeBefore=68718428160\r\nsizeAfter=137437904896\r\n", 'M');

            Assert.True(extension.Extended);
            Assert.Equal(68718428160UL, extension.SizeBefore);
            Assert.Equal(137437904896UL, extension.SizeAfter);
            Assert.False(WindowsDataDisk.ParseExtension("extended=false\nsizeBefore=5\nsizeAfter=5\n", 'M').Extended);
            Assert.Throws<AgentFailureException>(() => WindowsDataDisk.ParseExtension("extended=true\n", 'M'));
        }

        [Theory]
        [InlineData("GPT", 2, new[] { 'F' }, "drive letter(s) F")]
        [InlineData("MBR", 1, new char[0], "no drive letter")]
        [InlineData("RAW", 1, new char[0], "1 partition(s)")]
        public void A_disk_holding_data_without_the_right_letter_is_refused_with_exit_1(string style, int partitions, char[] letters, string detail)
        {
            using (var root = new TempAppsRoot())
            {
                var disk = new FakeDataDisk(DataDiskState.Found(3, style, partitions, letters));

                var run = RunWith(root, disk);

                Assert.Equal(1, run.ExitCode);
                Assert.Empty(disk.Initialized);
                Assert.Contains("disk 3 at LUN 0 already holds data", run.Output);
                Assert.Contains(detail, run.Output);
                Assert.Contains("it was not touched", run.Output);
                Assert.True(root.IsEmpty);
            }
        }

        [Fact]
        public void No_disk_at_the_lun_fails_with_exit_1()
        {
            using (var root = new TempAppsRoot())
            {
                var run = RunWith(root, new FakeDataDisk(DataDiskState.NotFound()));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("no data disk found at LUN 0", run.Output);
            }
        }

        [Fact]
        public void Two_disks_answering_to_the_lun_fail_with_exit_1()
        {
            using (var root = new TempAppsRoot())
            {
                var run = RunWith(root, new FakeDataDisk(DataDiskState.Ambiguous("2,3")));

                Assert.Equal(1, run.ExitCode);
                Assert.Contains("more than one disk (numbers 2,3)", run.Output);
            }
        }

        [Fact]
        public void The_inspection_answer_is_parsed()
        {
            var state = WindowsDataDisk.ParseInspection("found=one\r\nnumber=2\r\npartitionStyle=GPT\r\npartitions=2\r\nletters=M\r\n", 0);

            Assert.Equal(DataDiskFinding.Found, state.Finding);
            Assert.Equal(2, state.DiskNumber);
            Assert.Equal(new[] { 'M' }, state.DriveLetters);
            Assert.False(state.IsRaw);
            Assert.True(WindowsDataDisk.ParseInspection("found=one\nnumber=4\npartitionStyle=RAW\npartitions=0\nletters=\n", 0).IsRaw);
            Assert.Equal(DataDiskFinding.NotFound, WindowsDataDisk.ParseInspection("found=none\n", 0).Finding);
            Assert.Equal("2,5", WindowsDataDisk.ParseInspection("found=many;2,5\n", 0).Detail);
            Assert.Throws<AgentFailureException>(() => WindowsDataDisk.ParseInspection("garbage", 0));
        }

        [Fact]
        public void The_production_disk_driver_runs_the_inspect_then_initialise_scripts()
        {
            var runner = new ScriptedRunner("found=one\nnumber=2\npartitionStyle=RAW\npartitions=0\nletters=\n");
            var disk = new WindowsDataDisk(runner);

            var state = disk.Inspect(3);
            disk.Initialize(state.DiskNumber, 'N');

            Assert.Equal(2, runner.Scripts.Count);
            Assert.Contains(PowerShellAst.Commands(runner.Scripts[0]), c => c.Name == "Get-PhysicalDisk");
            Assert.Contains(PowerShellAst.Commands(runner.Scripts[1]), c => c.Name == "Initialize-Disk" && c.Parameters["Number"] == "2");
        }

        private sealed class ScriptedRunner : IPowerShellRunner
        {
            private readonly string answer;

            public ScriptedRunner(string answer)
            {
                this.answer = answer;
            }

            public System.Collections.Generic.List<string> Scripts { get; } = new System.Collections.Generic.List<string>();

            public PowerShellResult Run(string script, System.TimeSpan? timeout = null)
            {
                Scripts.Add(script);
                return new PowerShellResult(0, answer, string.Empty);
            }
        }
    }
}
