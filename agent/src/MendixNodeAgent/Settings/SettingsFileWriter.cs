using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// Replaces a file atomically (a temporary file in the same folder, then a rename over the
    /// original) and keeps a bounded number of timestamped backups of what it replaced.
    /// </summary>
    internal sealed class SettingsFileWriter
    {
        public const string BackupInfix = ".bak-";
        public const string TemporaryInfix = ".tmp-";
        public const int BackupsKept = 5;

        private readonly Func<DateTime> clock;

        public SettingsFileWriter(Func<DateTime> clock)
        {
            this.clock = clock;
        }

        /// <summary>Writes <paramref name="content"/>; returns the backup made of the previous file, if there was one.</summary>
        public string? Replace(string path, string content, bool withByteOrderMark)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            Directory.CreateDirectory(directory);

            var fileName = Path.GetFileName(path);
            var temporary = Path.Combine(directory, fileName + TemporaryInfix + Guid.NewGuid().ToString("N"));
            string? backup = null;
            try
            {
                var bytes = new UTF8Encoding(withByteOrderMark).GetPreamble().Concat(new UTF8Encoding(false).GetBytes(content)).ToArray();
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (File.Exists(path))
                {
                    backup = NewBackupPath(directory, fileName);
                    File.Copy(path, backup, overwrite: false);
                    File.Replace(temporary, path, destinationBackupFileName: null);
                    PruneBackups(directory, fileName);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            return backup;
        }

        private string NewBackupPath(string directory, string fileName)
        {
            var stamp = clock().ToUniversalTime().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
            var candidate = Path.Combine(directory, fileName + BackupInfix + stamp);
            for (var n = 1; File.Exists(candidate); n++)
            {
                candidate = Path.Combine(directory, fileName + BackupInfix + stamp + "-" + n.ToString(CultureInfo.InvariantCulture));
            }

            return candidate;
        }

        private static void PruneBackups(string directory, string fileName)
        {
            // The timestamp format sorts by time as text.
            var stale = Directory.GetFiles(directory, fileName + BackupInfix + "*")
                .OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
                .Skip(BackupsKept);
            foreach (var file in stale)
            {
                File.Delete(file);
            }
        }
    }
}
