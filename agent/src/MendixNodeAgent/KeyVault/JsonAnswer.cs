using System;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Xml;

namespace MendixNodeAgent.KeyVault
{
    /// <summary>
    /// Reads the few JSON answers of the Instance Metadata Service and Key Vault with the serializer that
    /// both .NET Framework 4.8 and .NET carry, so the agent needs no JSON package. Unknown members are ignored.
    /// </summary>
    internal static class JsonAnswer
    {
        /// <returns>the answer, or null when the body is not JSON of that shape.</returns>
        public static T? Read<T>(byte[] body)
            where T : class
        {
            if (body.Length == 0)
            {
                return null;
            }

            try
            {
                using (var stream = new MemoryStream(body))
                {
                    return new DataContractJsonSerializer(typeof(T)).ReadObject(stream) as T;
                }
            }
            catch (Exception e) when (e is SerializationException || e is XmlException || e is InvalidCastException || e is FormatException)
            {
                return null;
            }
        }

        /// <summary>An answer's error code and detail for a message: ", code/detail", or nothing.</summary>
        public static string Codes(string? code, string? detail)
        {
            var parts = new System.Collections.Generic.List<string>();
            if (!string.IsNullOrWhiteSpace(code)) parts.Add(code!.Trim());
            if (!string.IsNullOrWhiteSpace(detail)) parts.Add(detail!.Trim());
            return parts.Count == 0 ? string.Empty : ", " + string.Join("/", parts);
        }
    }

    [DataContract]
    internal sealed class TokenAnswer
    {
        [DataMember(Name = "access_token")]
        public string? AccessToken { get; set; }
    }

    [DataContract]
    internal sealed class MetadataErrorAnswer
    {
        [DataMember(Name = "error")]
        public string? Error { get; set; }

        [DataMember(Name = "error_description")]
        public string? Description { get; set; }
    }

    [DataContract]
    internal sealed class SecretAnswer
    {
        [DataMember(Name = "value")]
        public string? Value { get; set; }
    }

    [DataContract]
    internal sealed class VaultErrorAnswer
    {
        [DataMember(Name = "error")]
        public VaultError? Error { get; set; }
    }

    [DataContract]
    internal sealed class VaultError
    {
        [DataMember(Name = "code")]
        public string? Code { get; set; }

        [DataMember(Name = "innererror")]
        public VaultError? InnerError { get; set; }
    }
}
