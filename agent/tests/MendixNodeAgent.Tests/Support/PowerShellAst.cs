using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>A command as the real PowerShell parser sees it: its name and its named parameters.</summary>
    public sealed class ParsedCommand
    {
        public ParsedCommand(string name, IReadOnlyDictionary<string, string?> parameters)
        {
            Name = name;
            Parameters = parameters;
        }

        public string Name { get; }

        /// <summary>Parameter name (without '-') to its literal argument, or null for a switch.</summary>
        public IReadOnlyDictionary<string, string?> Parameters { get; }

        public override string ToString() => Name + " " + string.Join(" ", Parameters.Select(p => "-" + p.Key + (p.Value == null ? "" : " " + p.Value)));
    }

    public static class PowerShellAst
    {
        public static ScriptBlockAst Parse(string script)
        {
            var ast = Parser.ParseInput(script, out _, out var errors);
            if (errors.Length > 0)
            {
                throw new InvalidOperationException("PowerShell parse errors: " + string.Join("; ", errors.Select(e => e.Message)) + Environment.NewLine + script);
            }

            return ast;
        }

        public static IReadOnlyList<ParsedCommand> Commands(string script)
        {
            var ast = Parse(script);
            var commands = new List<ParsedCommand>();
            foreach (var command in ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
            {
                var name = command.GetCommandName() ?? string.Empty;
                var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                var elements = command.CommandElements;
                for (var i = 1; i < elements.Count; i++)
                {
                    if (elements[i] is CommandParameterAst parameter)
                    {
                        string? value = null;
                        if (parameter.Argument != null)
                        {
                            value = parameter.Argument.Extent.Text;
                        }
                        else if (i + 1 < elements.Count && !(elements[i + 1] is CommandParameterAst))
                        {
                            var next = elements[i + 1];
                            value = next is StringConstantExpressionAst constant ? constant.Value : next.Extent.Text;
                            i++;
                        }

                        parameters[parameter.ParameterName] = value;
                    }
                }

                commands.Add(new ParsedCommand(name, parameters));
            }

            return commands;
        }
    }
}
