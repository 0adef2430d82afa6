using System.Text.RegularExpressions;

namespace Billing.AppHost.Logging;

/// <summary>One output line of a resource, numbered so the dashboard can ask for what is new.</summary>
public sealed record LogLine(long Sequence, DateTimeOffset Time, string Text);

/// <summary>
/// A resource's output: forwarded to the console as it arrives, and the most recent lines kept in
/// a ring buffer for the dashboard.
/// </summary>
public sealed partial class ResourceLog(string source, ConsoleSink console, int capacity = 500)
{
    private readonly Queue<LogLine> _lines = new();
    private long _sequence;

    public void Write(string text)
    {
        // Some children (RabbitMQ) colour their lines even into a pipe; colour is the console's business.
        text = AnsiEscape().Replace(text, "");
        console.Write(source, text);
        lock (_lines)
        {
            _lines.Enqueue(new LogLine(++_sequence, DateTimeOffset.UtcNow, text));
            if (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    /// <summary>The kept lines numbered above <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<LogLine> Since(long after = 0)
    {
        lock (_lines) return _lines.Where(l => l.Sequence > after).ToList();
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
