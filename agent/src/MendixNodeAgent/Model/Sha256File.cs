using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace MendixNodeAgent.Model
{
    /// <summary>The SHA-256 of a file, as 64 lower-case hexadecimal characters.</summary>
    internal static class Sha256File
    {
        public static string Of(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var sha = SHA256.Create())
            {
                return Hex(sha.ComputeHash(stream));
            }
        }

        public static string Hex(byte[] hash)
        {
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
