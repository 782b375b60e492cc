using System;
using System.IO;
using MendixNodeAgent.Cli;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>The command entry: parses arguments, runs 'apply' (or the boot task's 'resume'), maps the outcome to an exit code.</summary>
    internal static class AgentProgram
    {
        /// <param name="workingDirectory">What the blobs' relative paths are resolved against; null: the process's current directory.</param>
        public static int Run(string[] args, TextWriter standardOutput, TextWriter standardError, Func<NodeSystem> nodeSystem, Func<DateTime> clock, string? workingDirectory = null)
        {
            using (var log = new AgentLog(standardOutput, clock))
            {
                try
                {
                    if (args.Length > 0 && args[0] == CommandLineParser.ResumeCommand)
                    {
                        var appsRoot = CommandLineParser.ParseResume(args);
                        var machine = nodeSystem();
                        new Node.ResumeCommand(log, machine.ServiceConsole, machine.Clock).Execute(appsRoot);
                        return ExitCodes.Applied;
                    }

                    var options = CommandLineParser.Parse(args);
                    new ApplyCommand(log, nodeSystem, clock).Execute(options, workingDirectory ?? Environment.CurrentDirectory);
                    return ExitCodes.Applied;
                }
                catch (BadInputException e)
                {
                    log.Error(e.Message);
                    standardError.WriteLine(log.Mask("error: " + FirstLine(e.Message)));
                    return ExitCodes.BadInput;
                }
                catch (AgentFailureException e)
                {
                    log.Error(e.Message);
                    standardError.WriteLine(log.Mask("error: " + FirstLine(e.Message)));
                    return ExitCodes.Failure;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    log.Error("file system: " + e.Message);
                    standardError.WriteLine(log.Mask("error: file system: " + e.Message));
                    return ExitCodes.Failure;
                }
                catch (Exception e)
                {
                    log.Error($"unexpected failure ({e.GetType().Name}): {e.Message}");
                    standardError.WriteLine(log.Mask($"error: unexpected failure ({e.GetType().Name}): {e.Message}"));
                    return ExitCodes.Failure;
                }
            }
        }

        private static string FirstLine(string message)
        {
            var end = message.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? message : message.Substring(0, end);
        }
    }
}
