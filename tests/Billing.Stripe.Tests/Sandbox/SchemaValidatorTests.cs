using System.Text.Json.Nodes;
using Billing.Stripe.Tests.Sandbox.Support;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>The validator behind the conformance test must catch what it claims to catch.</summary>
public sealed class SchemaValidatorTests
{
    static JsonObject Customer() => new()
    {
        ["id"] = "cus_1", ["object"] = "customer", ["created"] = 1700000000, ["livemode"] = false, ["email"] = null,
        ["metadata"] = new JsonObject { ["k"] = "v" },
    };

    [Fact]
    public void A_valid_object_passes() => Assert.Empty(SchemaValidator.Instance.Validate(Customer(), "customer"));

    [Fact]
    public void Missing_required_unknown_fields_wrong_types_enums_and_nulls_are_reported()
    {
        var missing = Customer();
        missing.Remove("created");
        Assert.Contains(SchemaValidator.Instance.Validate(missing, "customer"), e => e.Contains("missing required 'created'"));

        var unknown = Customer();
        unknown["surprise"] = 1;
        Assert.Contains(SchemaValidator.Instance.Validate(unknown, "customer"), e => e.Contains("unknown field 'surprise'"));

        var wrongType = Customer();
        wrongType["created"] = "yesterday";
        Assert.Contains(SchemaValidator.Instance.Validate(wrongType, "customer"), e => e.Contains("expected integer"));

        var badEnum = Customer();
        badEnum["tax_exempt"] = "sometimes";
        Assert.Contains(SchemaValidator.Instance.Validate(badEnum, "customer"), e => e.Contains("not in enum"));

        var nullId = Customer();
        nullId["id"] = null;
        Assert.Contains(SchemaValidator.Instance.Validate(nullId, "customer"), e => e.Contains("null but not nullable"));
    }

    [Fact]
    public void Only_listed_later_changes_are_tolerated()
    {
        var item = new JsonObject
        {
            ["id"] = "si_1", ["object"] = "subscription_item", ["created"] = 1, ["metadata"] = new JsonObject(),
            ["subscription"] = "sub_1", ["current_period_start"] = 1, ["current_period_end"] = 2,
            ["price"] = new JsonObject
            {
                ["id"] = "price_1", ["object"] = "price", ["active"] = true, ["billing_scheme"] = "per_unit", ["created"] = 1,
                ["currency"] = "usd", ["livemode"] = false, ["metadata"] = new JsonObject(), ["product"] = "prod_1", ["type"] = "one_time",
            },
        };
        Assert.Empty(SchemaValidator.Instance.Validate(item, "subscription_item"));
        item["current_period_middle"] = 1;
        Assert.Single(SchemaValidator.Instance.Validate(item, "subscription_item"));
    }
}
