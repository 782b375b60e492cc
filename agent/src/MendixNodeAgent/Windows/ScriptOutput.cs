using System;
using System.Collections.Generic;

namespace MendixNodeAgent.Windows
{
    /// <summary>Reads the 'key=value' lines the agent's scripts print, in order (a key may repeat).</summary>
    internal static class ScriptOutput
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Lines(string output)
        {
            var lines = new List<KeyValuePair<string, string>>();
            foreach (var raw in output.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var line = raw.Trim();
                var equals = line.IndexOf('=');
                if (equals > 0)
                {
                    lines.Add(new KeyValuePair<string, string>(line.Substring(0, equals), line.Substring(equals + 1)));
                }
            }

            return lines;
        }

        /// <summary>The last value of a key, or null.</summary>
        public static string? Value(IReadOnlyList<KeyValuePair<string, string>> lines, string key)
        {
            string? value = null;
            foreach (var line in lines)
            {
                if (line.Key == key)
                {
                    value = line.Value;
                }
            }

            return value;
        }

        /// <summary>PowerShell prints booleans as True/False.</summary>
        public static bool? Flag(IReadOnlyList<KeyValuePair<string, string>> lines, string key)
        {
            var value = Value(lines, key);
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase)) return false;
            return null;
        }

        public static PowerShellResult RunChecked(IPowerShellRunner powerShell, string script, string what)
        {
            var result = powerShell.Run(script);
            if (result.ExitCode != 0)
            {
                throw new AgentFailureException($"cannot {what}: {result.Errors.Trim()}");
            }

            return result;
        }
    }
}
