namespace Billing.Hosting;

/// <summary>A start-up failure with a one-line message that says what to do.</summary>
public sealed class HostingException(string message) : Exception(message);
