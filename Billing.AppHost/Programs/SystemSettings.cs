using Aspire.Hosting.ApplicationModel;
using Billing.AppHost.Secrets;
using Billing.AppHost.Servers;
using Billing.Hosting;

namespace Billing.AppHost.Programs;

/// <summary>What the .NET programs of the system are configured with, by the Aspire conventions (DESIGN.md, "Configuration").</summary>
public sealed class SystemSettings(Infrastructure infrastructure, SecretParameters secrets)
{
    private readonly Dictionary<string, ReferenceExpression> _databases = [];

    public Infrastructure Infrastructure => infrastructure;
    public Secret StripeSecretKey { get; } = secrets.Get("stripe-secret-key", "stripe-secret-key", "sk_test_");
    public Secret StripeWebhookSecret { get; } = secrets.Get("stripe-webhook-secret", "stripe-webhook-secret", "whsec_");
    public Secret StripeConnectWebhookSecret { get; } = secrets.Get("stripe-connect-webhook-secret", "stripe-connect-webhook-secret", "whsec_");
    public Secret OperatorKey { get; } = secrets.Get("operator-key", "operator-key", "bop_");
    public IdentityKeys Identity { get; } = IdentityKeys.From(secrets);

    /// <summary>A schema's own role: a secret password each, the connection string the schema's program gets as <c>ConnectionStrings__{schema}db</c>.</summary>
    public ReferenceExpression Database(string schema)
    {
        if (_databases.TryGetValue(schema, out var known)) return known;
        var password = secrets.Get($"{schema}-db-password", DatabaseProvisioner.PasswordSecret(schema));
        return _databases[schema] = password.In(DatabaseProvisioner.RoleConnectionString(infrastructure.PostgresAdmin, schema, password.Value));
    }
}
