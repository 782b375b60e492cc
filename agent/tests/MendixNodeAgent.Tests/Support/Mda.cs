using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>Writes small Mendix deployment archives (zips with model/metadata.json) for the tests.</summary>
    public static class Mda
    {
        public const string Version10 = "10.12.4.41735";

        /// <summary>An MDA whose metadata.json holds the given JSON; returns its path.</summary>
        public static string WriteWithMetadata(string folder, string fileName, string? metadataJson, IDictionary<string, string>? otherEntries = null)
        {
            Directory.CreateDirectory(folder);
            var path = System.IO.Path.Combine(folder, fileName);
            using (var stream = new FileStream(path, FileMode.Create))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                if (metadataJson != null)
                {
                    Add(zip, "model/metadata.json", metadataJson);
                }

                Add(zip, "web/index.html", "<!doctype html><title>Mendix</title>");
                foreach (var entry in otherEntries ?? new Dictionary<string, string>())
                {
                    Add(zip, entry.Key, entry.Value);
                }
            }

            return path;
        }

        /// <summary>An MDA for a Mendix version and, optionally, the Java version the app chose.</summary>
        public static string Write(string folder, string fileName, string runtimeVersion = Version10, string? javaVersionJson = "21") =>
            WriteWithMetadata(folder, fileName,
                "{\"RuntimeVersion\":\"" + runtimeVersion + "\",\"ModelVersion\":\"1.0.0.7\""
                + (javaVersionJson == null ? string.Empty : ",\"JavaVersion\":" + javaVersionJson)
                + ",\"Constants\":[],\"ScheduledEvents\":[]}");

        public static string Sha256(string path)
        {
            using (var sha = SHA256.Create())
            using (var stream = File.OpenRead(path))
            {
                var hash = sha.ComputeHash(stream);
                var text = new StringBuilder();
                foreach (var b in hash)
                {
                    text.Append(b.ToString("x2"));
                }

                return text.ToString();
            }
        }

        /// <summary>A fixture blob given an app.model section (the MDA named by file name, next to the blob) and written into folder.</summary>
        public static string BlobWithModel(string folder, string fixture, string mdaFile, string sha256, string? fileName = null) =>
            Fixtures.WriteBlob(folder, WithModel(Fixtures.Text(fixture), mdaFile, sha256), fileName);

        /// <summary>A blob text with an app.model section added after the fixtures' admin port.</summary>
        public static string WithModel(string blobText, string mdaFile, string sha256) =>
            blobText.Replace("  adminPort: 8090\n", $"  adminPort: 8090\n  model:\n    file: {mdaFile}\n    sha256: {sha256}\n");

        /// <summary>An MDA and a blob naming it, both in folder; returns the blob's path.</summary>
        public static string BlobAndMda(string folder, string fixture, string mdaFile = "app-1.mda", string runtimeVersion = Version10, string? javaVersionJson = "21")
        {
            var mda = Write(folder, mdaFile, runtimeVersion, javaVersionJson);
            return BlobWithModel(folder, fixture, mdaFile, Sha256(mda));
        }

        private static void Add(ZipArchive zip, string name, string content)
        {
            var entry = zip.CreateEntry(name);
            using (var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false)))
            {
                writer.Write(content);
            }
        }
    }
}
