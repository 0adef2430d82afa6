// Child processes, setpriv and Unix signals: the local orchestration runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
