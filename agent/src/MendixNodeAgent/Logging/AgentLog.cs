using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MendixNodeAgent.Logging
{
    /// <summary>
    /// Writes every step to standard output (the extension's status) and, once the data disk is
    /// there, to a log file on it. Lines written before the file is attached are kept and flushed
    /// into it, so the file tells the whole run. Every known secret value is masked here, as a last
    /// guard behind <see cref="SecretPolicy"/>.
    /// </summary>
    internal sealed class AgentLog : IDisposable
    {
        private readonly TextWriter console;
        private readonly Func<DateTime> clock;
        private readonly List<string> pendingFileLines = new List<string>();
        private readonly List<string> secretValues = new List<string>();
        private StreamWriter? file;

        public AgentLog(TextWriter console, Func<DateTime> clock)
        {
            this.console = console;
            this.clock = clock;
        }

        public string? FilePath { get; private set; }

        /// <summary>Values that must never appear in any output, whatever key they came with.</summary>
        public void RegisterSecretValue(string value)
        {
            if (value.Length > 0 && !secretValues.Contains(value))
            {
                secretValues.Add(value);
                secretValues.Sort((a, b) => b.Length.CompareTo(a.Length));
            }
        }

        public void Info(string message) => Write("INFO", message);

        public void Error(string message) => Write("ERROR", message);

        public void AttachFile(string path)
        {
            if (file != null)
            {
                return;
            }

            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            file = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            FilePath = path;
            foreach (var line in pendingFileLines)
            {
                file.WriteLine(line);
            }

            pendingFileLines.Clear();
        }

        public void Dispose()
        {
            file?.Dispose();
            file = null;
        }

        private void Write(string level, string message)
        {
            var safe = Mask(message);
            var stamp = clock().ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            foreach (var part in safe.Replace("\r\n", "\n").Split('\n'))
            {
                var line = $"{stamp} {level} {part}";
                console.WriteLine(line);
                if (file != null)
                {
                    file.WriteLine(line);
                }
                else
                {
                    pendingFileLines.Add(line);
                }
            }
        }

        /// <summary>The text with every registered secret value replaced by the mask.</summary>
        public string Mask(string message)
        {
            var result = message;
            foreach (var secret in secretValues)
            {
                result = result.Replace(secret, SecretPolicy.Mask);
            }

            return result;
        }
    }
}
