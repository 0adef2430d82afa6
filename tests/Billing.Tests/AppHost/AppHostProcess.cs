using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Billing.Tests.AppHost;

/// <summary>The built AppHost run as a real process, the way run.sh runs it, with its output kept for assertions.</summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly HttpClient _http;

    private AppHostProcess(Process process, int dashboardPort)
    {
        _process = process;
        DashboardUrl = $"http://127.0.0.1:{dashboardPort}";
        _http = new HttpClient { BaseAddress = new Uri(DashboardUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string DashboardUrl { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static AppHostProcess Start(
        string dataDirectory, int gatewayPort, int dashboardPort,
        IEnumerable<string>? extraArguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(RepositoryPaths.AppHostDll))
            throw new InvalidOperationException($"{RepositoryPaths.AppHostDll} is missing: run build/setup.sh (it builds Release).");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        // A later --root in the extra arguments wins over the repository's own.
        foreach (var argument in new[]
        {
            RepositoryPaths.AppHostDll, "--root", RepositoryPaths.Root, "--data", dataDirectory,
            "--port", gatewayPort.ToString(), "--dashboard-port", dashboardPort.ToString(),
        }.Concat(extraArguments ?? [])) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process, dashboardPort);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToList(); }
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int count = 40) => string.Join("\n", Lines.TakeLast(count));

    /// <summary>Waits for a line containing <paramref name="text"/>; fails if the AppHost exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Lines.FirstOrDefault(l => l.Contains(text)) is { } line) return line;
            if (_process.HasExited) break;
            await Task.Delay(100);
        }
        if (Lines.FirstOrDefault(l => l.Contains(text)) is { } last) return last;
        throw new Xunit.Sdk.XunitException($"no line with '{text}' within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}). Output:\n{Tail()}");
    }

    public async Task<IReadOnlyList<ResourceInfo>> ResourcesAsync() =>
        (await _http.GetFromJsonAsync<List<ResourceInfo>>("/api/resources", Json))!;

    public async Task<ResourceInfo> ResourceAsync(string name) => (await ResourcesAsync()).Single(r => r.Name == name);

    public Task<HttpResponseMessage> PostAsync(string path) => _http.PostAsync(path, null);

    /// <summary>Polls the resource until <paramref name="condition"/> holds.</summary>
    public async Task<ResourceInfo> WaitForResourceAsync(string name, Func<ResourceInfo, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ResourceInfo current;
        do
        {
            current = await ResourceAsync(name);
            if (condition(current)) return current;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"{name} stayed {current.State} (restarts {current.RestartCount}) for {timeout.TotalSeconds:0} s. Output:\n{Tail()}");
    }

    public void Signal(int signal) => _ = kill(_process.Id, signal);

    /// <summary>Waits for the exit and returns its code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new Xunit.Sdk.XunitException($"the AppHost did not exit within {timeout.TotalSeconds:0} s. Output:\n{Tail()}"); }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigTerm);
            try { await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _http.Dispose();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public const int SigTerm = 15, SigKill = 9;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>A resource as the AppHost's <c>/api/resources</c> shows it.</summary>
public sealed record ResourceInfo(string Name, string Kind, string State, int[] Pids, EndpointInfo[] Endpoints, int RestartCount, string? LastError);

public sealed record EndpointInfo(string Name, string Url);
