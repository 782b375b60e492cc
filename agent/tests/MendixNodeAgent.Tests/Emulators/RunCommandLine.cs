using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MendixNodeAgent.Tests.Emulators
{
    /// <summary>
    /// What a Run Command's parameter values look like by the time a Windows PowerShell script binds them. Windows' Run
    /// Command handler puts each as <c>-Name value</c>, unquoted, on a command line that cmd.exe reads before
    /// powershell.exe splits it into arguments, so a value reaches the script changed (sources: Azure/azure-powershell#7269,
    /// "Arguments are split on blanks ... if the argument contains double quotes itself, it will end the quoted string";
    /// #29880, "The RunCommand guest agent builds a command line that passes through a cmd.exe layer on the VM, where ^ is
    /// the escape ... The same problem affects other CMD-special characters: &amp; % &lt; &gt; | \""). Modelled:
    /// - cmd.exe (Microsoft Learn, "cmd": the special characters <c>&amp; | ( ) &lt; &gt; ^</c>): outside double quotes
    ///   <c>^</c> takes the next character literally and is dropped, and an unescaped <c>&amp; | &lt; &gt;</c> ends the
    ///   command (what follows is another command or a redirection); <c>%name%</c> of a variable the SYSTEM account has is
    ///   replaced by its value, even within quotes;
    /// - the arguments (Microsoft Learn, CommandLineToArgvW / "Parsing C command-line arguments"): white space outside
    ///   double quotes separates them, double quotes group and are dropped, <c>\"</c> is a quote; then -File binds each
    ///   <c>-Name</c> to the argument after it.
    /// </summary>
    public static class RunCommandLine
    {
        /// <summary>Some variables every SYSTEM process has, with values of a node.</summary>
        private static readonly IReadOnlyDictionary<string, string> SystemEnvironment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["windir"] = @"C:\Windows",
            ["SystemRoot"] = @"C:\Windows",
            ["TEMP"] = @"C:\Windows\TEMP",
            ["TMP"] = @"C:\Windows\TEMP",
            ["USERNAME"] = "SYSTEM",
            ["COMPUTERNAME"] = "MXPROD-1",
        };

        /// <summary>The parameters as the script binds them after the command line's round trip.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> AsTheScriptGetsThem(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            var line = string.Join(" ", parameters.Select(p => "-" + p.Key + " " + p.Value));
            var arguments = Arguments(ThroughCmd(line));
            var bound = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < arguments.Count; i++)
            {
                if (arguments[i].StartsWith("-", StringComparison.Ordinal) && i + 1 < arguments.Count)
                {
                    bound.Add(new KeyValuePair<string, string>(arguments[i].Substring(1), arguments[i + 1]));
                    i++;
                }
            }

            return bound;
        }

        private static string ThroughCmd(string line)
        {
            var result = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '%')
                {
                    var end = line.IndexOf('%', i + 1);
                    if (end > i + 1 && SystemEnvironment.TryGetValue(line.Substring(i + 1, end - i - 1), out var value))
                    {
                        result.Append(value);
                        i = end;
                        continue;
                    }
                }

                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '^')
                {
                    if (i + 1 < line.Length)
                    {
                        result.Append(line[++i]);
                    }

                    continue;
                }
                else if (!quoted && "&|<>".IndexOf(c) >= 0)
                {
                    break;
                }

                result.Append(c);
            }

            return result.ToString();
        }

        private static List<string> Arguments(string line)
        {
            var arguments = new List<string>();
            var current = new StringBuilder();
            var quoted = false;
            var inArgument = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '\\')
                {
                    var slashes = 0;
                    while (i < line.Length && line[i] == '\\')
                    {
                        slashes++;
                        i++;
                    }

                    if (i < line.Length && line[i] == '"')
                    {
                        current.Append('\\', slashes / 2);
                        if (slashes % 2 == 1)
                        {
                            current.Append('"');
                        }
                        else
                        {
                            quoted = !quoted;
                        }
                    }
                    else
                    {
                        current.Append('\\', slashes);
                        i--;
                    }

                    inArgument = true;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                    inArgument = true;
                }
                else if (!quoted && char.IsWhiteSpace(c))
                {
                    if (inArgument)
                    {
                        arguments.Add(current.ToString());
                        current.Clear();
                        inArgument = false;
                    }
                }
                else
                {
                    current.Append(c);
                    inArgument = true;
                }
            }

            if (inArgument)
            {
                arguments.Add(current.ToString());
            }

            return arguments;
        }
    }
}
