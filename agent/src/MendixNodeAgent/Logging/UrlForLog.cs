using System;

namespace MendixNodeAgent.Logging
{
    /// <summary>
    /// A URL as it may be shown: without its query string, which may carry a credential (a storage account's
    /// shared access signature, for example). The path still tells which file it is.
    /// </summary>
    internal static class UrlForLog
    {
        public const string HiddenQuery = "?[query hidden]";

        public static string Of(string url)
        {
            var query = url.IndexOf('?');
            var fragment = url.IndexOf('#');
            var cut = query >= 0 ? query : fragment;
            return cut < 0 ? url : url.Substring(0, cut) + (query >= 0 ? HiddenQuery : string.Empty);
        }
    }
}
