using System;
using System.Globalization;

namespace MendixNodeAgent.Timing
{
    internal static class Seconds
    {
        /// <summary>A span as whole or fractional seconds for the log: "30", "2.5".</summary>
        public static string Of(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
