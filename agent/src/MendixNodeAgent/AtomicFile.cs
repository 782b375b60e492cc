using System;
using System.IO;
using System.Text;

namespace MendixNodeAgent
{
    /// <summary>Writes a file so that a reader sees the old text or the new, never half of it.</summary>
    internal static class AtomicFile
    {
        /// <summary>Writes UTF-8 without a byte order mark to a temporary file beside <paramref name="path"/>, then renames it over the original.</summary>
        public static void WriteAllText(string path, string content)
        {
            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, content, new UTF8Encoding(false));
            if (File.Exists(path))
            {
                File.Replace(temporary, path, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }
    }
}
