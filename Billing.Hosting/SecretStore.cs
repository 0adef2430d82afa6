using System.Security.Cryptography;
using System.Text.Json;

namespace Billing.Hosting;

/// <summary>
/// Generated secrets (database and broker passwords, the operator key) kept in one file readable
/// only by its owner, so a second run finds the same ones and the data stays usable.
/// </summary>
public sealed class SecretStore
{
    private readonly string? _path;
    private readonly Dictionary<string, string> _secrets;

    private SecretStore(string? path, Dictionary<string, string> secrets)
    {
        _path = path;
        _secrets = secrets;
    }

    /// <summary>Secrets kept in <paramref name="path"/> (created on first use).</summary>
    public static SecretStore Open(string path) =>
        new(path, File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
            : []);

    /// <summary>Secrets that live only as long as this object (tests).</summary>
    public static SecretStore InMemory() => new(null, []);

    /// <summary>The secret <paramref name="name"/>; on first use a random one, after <paramref name="prefix"/>.</summary>
    public string Get(string name, string prefix = "") =>
        Get(name, () => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    /// <summary>The secret <paramref name="name"/>; on first use whatever <paramref name="create"/> makes (a key, say).</summary>
    public string Get(string name, Func<string> create)
    {
        lock (_secrets)
        {
            if (_secrets.TryGetValue(name, out var existing)) return existing;
            var created = create();
            _secrets[name] = created;
            Save();
            return created;
        }
    }

    private void Save()
    {
        if (_path is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        File.WriteAllText(_path, JsonSerializer.Serialize(_secrets, new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
