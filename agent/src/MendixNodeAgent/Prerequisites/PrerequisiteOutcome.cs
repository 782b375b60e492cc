using System.Collections.Generic;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>What the prerequisite step changed, and where each Java it found is installed.</summary>
    internal sealed class PrerequisiteOutcome
    {
        public PrerequisiteOutcome(int changes, IReadOnlyDictionary<int, string> javaFolders)
        {
            Changes = changes;
            JavaFolders = javaFolders;
        }

        /// <summary>No node was inspected (file work only): no Java folder is known.</summary>
        public static PrerequisiteOutcome NotInspected { get; } = new PrerequisiteOutcome(0, new Dictionary<int, string>());

        public int Changes { get; }

        /// <summary>Java major version to its folder (the JDK's home, which holds bin\java.exe).</summary>
        public IReadOnlyDictionary<int, string> JavaFolders { get; }

        public string? JavaFolderFor(int? major) => major != null && JavaFolders.TryGetValue(major.Value, out var folder) ? folder : null;
    }
}
