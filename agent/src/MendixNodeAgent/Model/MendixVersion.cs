using System.Globalization;
using System.Text.RegularExpressions;

namespace MendixNodeAgent.Model
{
    /// <summary>
    /// A Mendix Runtime version as an MDA's model/metadata.json names it in "RuntimeVersion"
    /// (major.minor.patch.build, e.g. 10.12.4.41735; Mendix 11 may leave out the build number,
    /// mendix/docs content/en/docs/refguide/installation/upgrading-from-10-to-11/_index.md, "Other").
    /// </summary>
    internal sealed class MendixVersion
    {
        private static readonly Regex Pattern = new Regex(@"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})(\.(0|[1-9][0-9]{0,9}))?$", RegexOptions.CultureInvariant);

        private MendixVersion(string text, int major, int minor, int patch)
        {
            Text = text;
            Major = major;
            Minor = minor;
            Patch = patch;
        }

        /// <summary>The version exactly as metadata.json has it; also the {version} of the server distribution's URL.</summary>
        public string Text { get; }

        public int Major { get; }

        public int Minor { get; }

        public int Patch { get; }

        public static MendixVersion? Parse(string text)
        {
            var match = Pattern.Match(text);
            if (!match.Success)
            {
                return null;
            }

            return new MendixVersion(
                text,
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        public override string ToString() => Text;
    }
}
