namespace Billing.Benchmarks;

/// <summary><c>--name value</c> pairs after the benchmark's name.</summary>
public sealed class BenchmarkArguments(IReadOnlyDictionary<string, string> values)
{
    public static BenchmarkArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --option, got '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        return new BenchmarkArguments(values);
    }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
}
