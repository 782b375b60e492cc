namespace MendixNodeAgent.Settings
{
    /// <summary>The NTFS rights the agent grants (names as System.Security.AccessControl.FileSystemRights spells them).</summary>
    internal enum FolderRight
    {
        ReadAndExecute,
        Modify,
    }

    /// <summary>A right on a folder, inherited by everything in it.</summary>
    internal sealed class FolderGrant
    {
        public FolderGrant(string path, FolderRight right)
        {
            Path = path;
            Right = right;
        }

        public string Path { get; }

        public FolderRight Right { get; }
    }
}
