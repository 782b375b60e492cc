using MendixNodeAgent.Logging;

namespace MendixNodeAgent.Settings
{
    internal enum SettingsChangeKind
    {
        Added,
        Changed,
        Removed,
    }

    /// <summary>One difference between the app's Settings.yaml and the blob; shows secrets only by key name.</summary>
    internal sealed class SettingsChange
    {
        public SettingsChange(string key, SettingsChangeKind kind, string? oldValue, string? newValue)
        {
            Key = key;
            Kind = kind;
            OldValue = oldValue;
            NewValue = newValue;
        }

        public string Key { get; }

        public SettingsChangeKind Kind { get; }

        /// <summary>Whether the runtime reads the setting at its start: everything but the console's Service section.</summary>
        public bool ReadByRuntime => !Key.StartsWith(SettingsYamlLayout.ServiceSection + ".", System.StringComparison.Ordinal);

        public string? OldValue { get; }

        public string? NewValue { get; }

        public string Describe()
        {
            switch (Kind)
            {
                case SettingsChangeKind.Added:
                    return $"add {Key} = {SecretPolicy.Shown(Key, NewValue)}";
                case SettingsChangeKind.Removed:
                    return $"remove {Key} (was {SecretPolicy.Shown(Key, OldValue)})";
                default:
                    return $"change {Key} from {SecretPolicy.Shown(Key, OldValue)} to {SecretPolicy.Shown(Key, NewValue)}";
            }
        }
    }
}
