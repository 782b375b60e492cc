using System;
using System.Collections.Generic;
using System.IO;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>Runs the command entry as the program's Main does, capturing what it prints.</summary>
    public sealed class AgentRun
    {
        private AgentRun(int exitCode, string output, string errors)
        {
            ExitCode = exitCode;
            Output = output;
            Errors = errors;
        }

        public int ExitCode { get; }

        public string Output { get; }

        public string Errors { get; }

        public string AllText => Output + Errors;

        public static DateTime FixedStart { get; } = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        /// <param name="workingDirectory">The download folder the blobs' relative paths start from; null: the first blob's folder.</param>
        internal static AgentRun Execute(IEnumerable<string> args, NodeSystem? system = null, Func<DateTime>? clock = null, string? workingDirectory = null)
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            var argList = new List<string>(args);
            var exitCode = AgentProgram.Run(
                argList.ToArray(),
                output,
                errors,
                () => system ?? throw new InvalidOperationException("the system was used in --no-system mode"),
                clock ?? SteppingClock(),
                workingDirectory ?? FirstBlobFolder(argList));
            return new AgentRun(exitCode, output.ToString(), errors.ToString());
        }

        private static string? FirstBlobFolder(List<string> args)
        {
            var at = args.IndexOf("--settings");
            return at < 0 || at + 1 >= args.Count ? null : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(args[at + 1]));
        }

        public static Func<DateTime> SteppingClock()
        {
            var now = FixedStart;
            return () => now = now.AddSeconds(1);
        }

        public static string[] NoSystem(string appsRoot, params string[] blobs)
        {
            var args = Apply(appsRoot, blobs);
            args.Add("--no-system");
            return args.ToArray();
        }

        public static string[] OnSystem(string appsRoot, params string[] blobs) => Apply(appsRoot, blobs).ToArray();

        private static List<string> Apply(string appsRoot, string[] blobs)
        {
            var args = new List<string> { "apply" };
            foreach (var blob in blobs)
            {
                args.Add("--settings");
                args.Add(blob);
            }

            args.Add("--apps-root");
            args.Add(appsRoot);
            return args;
        }
    }
}
