using System;
using System.Globalization;

namespace MendixNodeAgent.Iis
{
    /// <summary>One IIS site binding: protocol, "&lt;ip&gt;:&lt;port&gt;:&lt;host&gt;" and SSL flags (1: Server Name Indication).</summary>
    internal sealed class SiteBinding : IEquatable<SiteBinding>
    {
        public SiteBinding(string protocol, string bindingInformation, int sslFlags)
        {
            Protocol = protocol;
            BindingInformation = bindingInformation;
            SslFlags = sslFlags;
        }

        public string Protocol { get; }

        public string BindingInformation { get; }

        public int SslFlags { get; }

        public bool IsHttps => string.Equals(Protocol, "https", StringComparison.OrdinalIgnoreCase);

        /// <summary>The host name part of the binding information; empty: any host name.</summary>
        public string HostName
        {
            get
            {
                var parts = BindingInformation.Split(new[] { ':' }, 3);
                return parts.Length == 3 ? parts[2] : string.Empty;
            }
        }

        public int Port
        {
            get
            {
                var parts = BindingInformation.Split(new[] { ':' }, 3);
                return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;
            }
        }

        public bool Equals(SiteBinding? other) =>
            other != null
            && string.Equals(Protocol, other.Protocol, StringComparison.OrdinalIgnoreCase)
            && string.Equals(BindingInformation, other.BindingInformation, StringComparison.OrdinalIgnoreCase)
            && (!IsHttps || SslFlags == other.SslFlags);

        public override bool Equals(object? obj) => Equals(obj as SiteBinding);

        public override int GetHashCode() =>
            StringComparer.OrdinalIgnoreCase.GetHashCode(Protocol) ^ StringComparer.OrdinalIgnoreCase.GetHashCode(BindingInformation);

        public override string ToString() => $"{Protocol} {BindingInformation}" + (IsHttps ? (SslFlags == 1 ? " (SNI)" : string.Empty) : string.Empty);
    }
}
