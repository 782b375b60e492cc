using MendixNodeAgent.Tests.Support;
using Xunit;

namespace MendixNodeAgent.Tests
{
    public class CommandLineTests
    {
        [Theory]
        [InlineData(new string[0], "no command given")]
        [InlineData(new[] { "deploy" }, "unknown command 'deploy'")]
        [InlineData(new[] { "apply" }, "--settings is required")]
        [InlineData(new[] { "apply", "--settings" }, "--settings needs a value")]
        [InlineData(new[] { "apply", "--settings", "--no-system" }, "--settings needs a value")]
        [InlineData(new[] { "apply", "--settings", "a.yaml", "--apps-root" }, "--apps-root needs a value")]
        [InlineData(new[] { "apply", "--settings", "a.yaml", "--force" }, "unknown argument '--force'")]
        [InlineData(new[] { "apply", "--settings", "a.yaml", "--apps-root", "x", "--apps-root", "y" }, "--apps-root given twice")]
        public void Bad_arguments_exit_2_and_name_the_argument_and_what_is_allowed(string[] args, string expected)
        {
            var run = AgentRun.Execute(args);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains(expected, run.Output);
            Assert.Contains("usage: mendix-node-agent apply --settings FILE", run.Output);
            Assert.StartsWith("error: ", run.Errors);
        }

        [Fact]
        public void Parses_repeated_settings_apps_root_and_no_system()
        {
            var options = Cli.CommandLineParser.Parse(new[] { "apply", "--settings", "a.yaml", "--settings", "b.yaml", "--apps-root", "D:\\x", "--no-system" });

            Assert.Equal(new[] { "a.yaml", "b.yaml" }, options.SettingsFiles);
            Assert.Equal("D:\\x", options.AppsRootOverride);
            Assert.True(options.NoSystem);
        }
    }
}
