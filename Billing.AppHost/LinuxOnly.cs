// Child processes, setsid/setpriv, /proc and Unix signals: the AppHost runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
