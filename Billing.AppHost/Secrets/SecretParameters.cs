using Aspire.Hosting.ApplicationModel;
using Billing.Hosting;

namespace Billing.AppHost.Secrets;

/// <summary>A secret parameter and its value, which the AppHost needs to write config files and connection strings.</summary>
public sealed record Secret(IResourceBuilder<ParameterResource> Parameter, string Value)
{
    /// <summary>
    /// <paramref name="text"/> (a connection string) with this secret's value replaced by the
    /// parameter, so what the dashboard shows names the parameter instead of the value.
    /// </summary>
    public ReferenceExpression In(string text)
    {
        var at = text.IndexOf(Value, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"the text does not contain the secret {Parameter.Resource.Name}.");
        var expression = new ReferenceExpressionBuilder();
        expression.AppendLiteral(text[..at]);
        expression.AppendFormatted(Parameter.Resource);
        expression.AppendLiteral(text[(at + Value.Length)..]);
        return expression.Build();
    }
}

/// <summary>
/// Secrets as Aspire parameters (secret: true): generated on first use and kept in the data
/// folder's secrets.json (mode 0600, <see cref="SecretStore"/>), so a second run finds the same
/// ones; they reach the programs through their environment, never their command line.
/// </summary>
public sealed class SecretParameters(IDistributedApplicationBuilder builder, SecretStore store)
{
    public SecretStore Store => store;

    /// <summary>The parameter <paramref name="name"/> holding the secret <paramref name="key"/> of the store.</summary>
    public Secret Get(string name, string key, string prefix = "") => Get(name, () => store.Get(key, prefix));

    public Secret Get(string name, Func<string> value)
    {
        var secret = value();
        return new Secret(builder.AddParameter(name, secret, secret: true), secret);
    }
}
