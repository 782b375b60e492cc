namespace MendixNodeAgent.Settings
{
    /// <summary>The NTFS rights the agent grants (names as System.Security.AccessControl.FileSystemRights spells them).</summary>
    internal enum FolderRight
    {
        ReadAndExecute,
        Modify,
    }

    /// <summary>A right on a folder: inherited by everything in it, or on the folder itself only (to pass through it).</summary>
    internal sealed class FolderGrant
    {
        public FolderGrant(string path, FolderRight right, bool inherited = true)
        {
            Path = path;
            Right = right;
            Inherited = inherited;
        }

        public string Path { get; }

        public FolderRight Right { get; }

        /// <summary>True: ContainerInherit, ObjectInherit; false: this folder only (what it holds keeps its own rights).</summary>
        public bool Inherited { get; }
    }
}
