using System;
using System.Collections.Generic;

namespace MendixNodeAgent.Cli
{
    internal static class CommandLineParser
    {
        public const string Usage =
            "usage: mendix-node-agent apply --settings FILE [--settings FILE ...] [--apps-root DIR] [--no-system [--test-secrets FILE]]" + "\n"
            + "       mendix-node-agent resume --apps-root DIR";

        public const string ResumeCommand = "resume";

        /// <summary>'resume --apps-root DIR' (the boot task's command line): the apps root.</summary>
        public static string ParseResume(IReadOnlyList<string> args)
        {
            if (args.Count != 3 || !string.Equals(args[1], "--apps-root", StringComparison.Ordinal) || args[2].Trim().Length == 0)
            {
                throw Fail("resume takes exactly --apps-root DIR, the apps root the last completed 'apply' used");
            }

            return args[2];
        }

        public static ApplyOptions Parse(IReadOnlyList<string> args)
        {
            if (args.Count == 0)
            {
                throw Fail("no command given; allowed: 'apply', 'resume'");
            }

            if (!string.Equals(args[0], "apply", StringComparison.Ordinal))
            {
                throw Fail($"unknown command '{args[0]}'; allowed: 'apply', 'resume'");
            }

            var settingsFiles = new List<string>();
            string? appsRoot = null;
            var noSystem = false;
            string? testSecrets = null;

            for (var i = 1; i < args.Count; i++)
            {
                var argument = args[i];
                switch (argument)
                {
                    case "--settings":
                        settingsFiles.Add(ValueAfter(args, ref i, argument, "a path to a node settings blob (YAML)"));
                        break;
                    case "--apps-root":
                        if (appsRoot != null)
                        {
                            throw Fail("--apps-root given twice; it is allowed once");
                        }

                        appsRoot = ValueAfter(args, ref i, argument, "a directory, the location of apps and server files");
                        break;
                    case "--no-system":
                        noSystem = true;
                        break;
                    case "--test-secrets":
                        if (testSecrets != null)
                        {
                            throw Fail("--test-secrets given twice; it is allowed once");
                        }

                        testSecrets = ValueAfter(args, ref i, argument, "a YAML file of test values by Key Vault reference (tests only, with --no-system)");
                        break;
                    default:
                        throw Fail($"unknown argument '{argument}'; allowed: --settings FILE, --apps-root DIR, --no-system, --test-secrets FILE");
                }
            }

            if (settingsFiles.Count == 0)
            {
                throw Fail("--settings is required at least once (one node settings blob per app)");
            }

            if (testSecrets != null && !noSystem)
            {
                throw Fail("--test-secrets is allowed only with --no-system: on a node, Key Vault references are read from Key Vault with the node's identity");
            }

            return new ApplyOptions(settingsFiles, appsRoot, noSystem, testSecrets);
        }

        private static string ValueAfter(IReadOnlyList<string> args, ref int index, string option, string allowed)
        {
            if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal) || args[index + 1].Trim().Length == 0)
            {
                throw Fail($"{option} needs a value: {allowed}");
            }

            index++;
            return args[index];
        }

        private static BadInputException Fail(string problem) => new BadInputException(problem + Environment.NewLine + Usage);
    }
}
