using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MendixNodeAgent.Model
{
    /// <summary>
    /// The one table from a Mendix version to the Java major version its runtime runs on.
    ///
    /// | Mendix            | Java allowed | when the MDA names none |
    /// | ----------------- | ------------ | ----------------------- |
    /// | 7                 | 8            | 8                       |
    /// | 8                 | 11           | 11                      |
    /// | 9                 | 11, 17, 21   | 11                      |
    /// | 10.0 to 10.20     | 11, 17, 21   | 11                      |
    /// | 10.21 and later   | 21           | 21                      |
    /// | 11                | 21           | 21                      |
    ///
    /// Sources (mendix/docs):
    /// - Mendix 7: content/en/docs/refguide7/general/system-requirements.md, "Java": JRE 8.
    /// - Mendix 8: content/en/docs/refguide8/general/system-requirements.md, "7.3 Java": JRE 11.
    /// - Mendix 9: content/en/docs/refguide9/general/system-requirements.md, "Java": JRE 11, 17 or 21
    ///   (17 from 9.24.19, 21 from 9.24.22).
    /// - Mendix 10: content/en/docs/refguide10/installation/system-requirements.md, "Java": JRE 11, 17 or 21
    ///   (17 from 10.8, 21 from 10.11).
    /// - Mendix 10.21 and later, and 11: content/en/docs/refguide/installation/upgrading-from-10-to-11/_index.md,
    ///   "Other": "Studio Pro 10.21 and above requires your application to use Java 21".
    /// Where a version allows several, the app chooses one in its App Settings and the MDA's
    /// model/metadata.json names it as "JavaVersion"; without it, Mendix's own Cloud Foundry buildpack
    /// runs Mendix 8 and later on Java 11 (mendix/cf-mendix-buildpack, buildpack/core/java.py,
    /// get_java_major_version; the key is read from model/metadata.json by buildpack/core/runtime.py).
    /// </summary>
    internal static class JavaRequirement
    {
        public const int OldestMendixMajor = 7;
        public const int NewestMendixMajor = 11;

        /// <summary>The Java major version for the app, or null with the reason it cannot run.</summary>
        public static int? JavaMajorFor(MendixVersion version, int? declaredJavaMajor, out string problem)
        {
            problem = string.Empty;
            var allowed = Allowed(version);
            if (allowed == null)
            {
                problem = $"Mendix {version} is not a version this agent knows the Java version of (Mendix {OldestMendixMajor} to {NewestMendixMajor})";
                return null;
            }

            if (declaredJavaMajor == null)
            {
                return allowed.Default;
            }

            if (!allowed.Majors.Contains(declaredJavaMajor.Value))
            {
                problem = $"its model/metadata.json asks for Java {declaredJavaMajor.Value}, but Mendix {version} runs on Java {Describe(allowed.Majors)}";
                return null;
            }

            return declaredJavaMajor.Value;
        }

        private static string Describe(IEnumerable<int> majors) => string.Join(" or ", majors.Select(m => m.ToString(CultureInfo.InvariantCulture)));

        private static Allowance? Allowed(MendixVersion version)
        {
            switch (version.Major)
            {
                case 7:
                    return new Allowance(8, 8);
                case 8:
                    return new Allowance(11, 11);
                case 9:
                    return new Allowance(11, 11, 17, 21);
                case 10:
                    return version.Minor >= 21 ? new Allowance(21, 21) : new Allowance(11, 11, 17, 21);
                case 11:
                    return new Allowance(21, 21);
                default:
                    return null;
            }
        }

        private sealed class Allowance
        {
            public Allowance(int defaultMajor, params int[] majors)
            {
                Default = defaultMajor;
                Majors = majors;
            }

            public int Default { get; }

            public IReadOnlyList<int> Majors { get; }
        }
    }
}
