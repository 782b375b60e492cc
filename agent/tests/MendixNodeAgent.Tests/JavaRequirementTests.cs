using MendixNodeAgent.Model;
using Xunit;

namespace MendixNodeAgent.Tests
{
    /// <summary>The Mendix-to-Java table (sources in JavaRequirement's comment).</summary>
    public class JavaRequirementTests
    {
        [Theory]
        [InlineData("7.23.38.0", null, 8)]
        [InlineData("8.18.23.62193", null, 11)]
        [InlineData("9.24.22.50987", null, 11)]
        [InlineData("9.24.22.50987", 17, 17)]
        [InlineData("9.24.22.50987", 21, 21)]
        [InlineData("10.6.9.30103", null, 11)]
        [InlineData("10.12.4.41735", 21, 21)]
        [InlineData("10.20.0.60000", 11, 11)]
        [InlineData("10.21.0.64362", null, 21)]
        [InlineData("10.24.1.70001", 21, 21)]
        [InlineData("11.0.0", null, 21)]
        [InlineData("11.6.2.12345", 21, 21)]
        public void A_mendix_version_runs_on_the_java_of_the_table(string version, int? declared, int expected)
        {
            var java = JavaRequirement.JavaMajorFor(MendixVersion.Parse(version)!, declared, out var problem);

            Assert.Equal(expected, java);
            Assert.Equal(string.Empty, problem);
        }

        [Theory]
        [InlineData("8.18.23.62193", 17, "asks for Java 17, but Mendix 8.18.23.62193 runs on Java 11")]
        [InlineData("10.21.0.64362", 11, "runs on Java 21")]
        [InlineData("11.0.0", 17, "runs on Java 21")]
        [InlineData("6.10.4.1", null, "not a version this agent knows the Java version of (Mendix 7 to 11)")]
        [InlineData("12.0.0.1", null, "not a version this agent knows")]
        public void A_combination_outside_the_table_is_refused_with_the_reason(string version, int? declared, string reason)
        {
            var java = JavaRequirement.JavaMajorFor(MendixVersion.Parse(version)!, declared, out var problem);

            Assert.Null(java);
            Assert.Contains(reason, problem);
        }

        [Theory]
        [InlineData("10.12.4.41735", 10, 12)]
        [InlineData("11.0.0", 11, 0)]
        public void Runtime_versions_parse_with_or_without_a_build_number(string text, int major, int minor)
        {
            var version = MendixVersion.Parse(text)!;

            Assert.Equal(major, version.Major);
            Assert.Equal(minor, version.Minor);
            Assert.Equal(text, version.Text);
        }

        [Theory]
        [InlineData("")]
        [InlineData("10")]
        [InlineData("10.12")]
        [InlineData("v10.12.4")]
        [InlineData("10.12.4.41735-beta")]
        [InlineData("10.12.4/../../x")]
        public void Anything_else_is_not_a_runtime_version(string text)
        {
            Assert.Null(MendixVersion.Parse(text));
        }
    }
}
