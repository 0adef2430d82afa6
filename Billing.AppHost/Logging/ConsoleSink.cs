namespace Billing.AppHost.Logging;

/// <summary>
/// Every child's lines on one console, prefixed by resource name (<c>[catalog] ...</c>), in colour
/// only when a person is watching: a pipe or a file gets plain text.
/// </summary>
public sealed class ConsoleSink
{
    private static readonly string[] Palette = ["36", "32", "33", "35", "34", "96", "92", "93", "95", "94"];
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _colours = [];
    private readonly bool _colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public void Write(string source, string line)
    {
        lock (_gate)
        {
            if (_colour)
            {
                if (!_colours.TryGetValue(source, out var colour))
                    _colours[source] = colour = Palette[_colours.Count % Palette.Length];
                Console.Out.WriteLine($"\u001b[{colour}m[{source}]\u001b[0m {line}");
            }
            else
            {
                Console.Out.WriteLine($"[{source}] {line}");
            }
        }
    }

    /// <summary>The AppHost's own progress lines.</summary>
    public void Info(string line) => Write("apphost", line);

    /// <summary>A failure that ends the run: one line on stderr that says what to do.</summary>
    public void Error(string line)
    {
        lock (_gate) Console.Error.WriteLine($"apphost: {line}");
    }
}
