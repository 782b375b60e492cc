using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// The custom runtime settings the agent wrote to an app's Settings.yaml, so that one the blob no longer carries can be
    /// removed while one the agent never wrote (set in the console's GUI) stays. One key a line, written atomically.
    /// </summary>
    internal static class ManagedSettingsState
    {
        private const string Header = "# Custom runtime settings (keys under Runtime: in Settings.yaml) that mendix-node-agent manages.";

        public static IReadOnlyCollection<string> Read(string path)
        {
            if (!File.Exists(path))
            {
                return new string[0];
            }

            return File.ReadAllLines(path)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal))
                .ToList();
        }

        /// <returns>whether the file changed.</returns>
        public static bool Write(string path, IEnumerable<string> keys)
        {
            var sorted = keys.Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToList();
            var text = Header + "\n" + string.Concat(sorted.Select(k => k + "\n"));
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            AtomicFile.WriteAllText(path, text);
            return true;
        }
    }
}
