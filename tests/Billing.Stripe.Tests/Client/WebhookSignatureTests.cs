using System.Security.Cryptography;
using System.Text;
using Billing.Stripe.Webhooks;
using Stripe;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// <see cref="StripeWebhookVerifier"/>: Stripe.net's <see cref="EventUtility"/> with several secrets,
/// a reason per refusal and our tolerance. Headers are made with Stripe.net's own
/// <see cref="EventUtility.GenerateSignatureHeader"/>.
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const string OldSecret = "whsec_old_secret";
    private const string Payload = """{"id":"evt_1","object":"event","type":"invoice.paid","created":1700000000,"livemode":false,"api_version":"2026-10-28.endive","pending_webhooks":1,"request":{"id":"req_1","idempotency_key":"key-1"},"data":{"object":{"id":"in_1","object":"invoice","currency":"usd","amount_paid":1500,"created":1700000000,"parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_1"}}}}}""";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly FixedClock Clock = new(Now);

    private static string Header(string payload, string secret, DateTimeOffset at) => EventUtility.GenerateSignatureHeader(payload, secret, at.ToUnixTimeSeconds());

    private static string V1(string payload, string secret, DateTimeOffset at) => EventUtility.ComputeSignature(secret, at.ToUnixTimeSeconds().ToString(), payload);

    private static WebhookVerificationResult Verify(string payload, string? header, params string[] secrets) =>
        new StripeWebhookVerifier(time: Clock).Verify(payload, header, secrets);

    [Fact]
    public void Signature_is_hex_hmac_sha256_of_timestamp_dot_body_keyed_by_the_secret_string()
    {
        // Independent computation with the framework's HMAC, to pin the scheme test deliveries are signed with.
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes("1700000000." + Payload))).ToLowerInvariant();

        Assert.Equal($"t=1700000000,v1={expected}", Header(Payload, Secret, Now));
    }

    [Fact]
    public void Valid_signature_verifies()
    {
        var result = Verify(Payload, Header(Payload, Secret, Now), Secret);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void Tampered_body_is_refused()
    {
        var header = Header(Payload, Secret, Now);

        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verify(Payload.Replace("1500", "1", StringComparison.Ordinal), header, Secret).Reason);
    }

    [Fact]
    public void Body_with_changed_whitespace_is_refused()
    {
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verify(Payload + "\n", Header(Payload, Secret, Now), Secret).Reason);
    }

    [Fact]
    public void Wrong_secret_is_refused()
    {
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verify(Payload, Header(Payload, "whsec_other", Now), Secret).Reason);
    }

    [Fact]
    public void Stale_timestamp_is_refused()
    {
        var result = Verify(Payload, Header(Payload, Secret, Now.AddSeconds(-301)), Secret);

        Assert.Equal(WebhookFailureReason.TimestampTooOld, result.Reason);
        Assert.Contains("300 s", result.Message);
    }

    [Fact]
    public void Timestamp_just_inside_the_tolerance_is_accepted()
    {
        Assert.True(Verify(Payload, Header(Payload, Secret, Now.AddSeconds(-299)), Secret).IsValid);
        Assert.True(Verify(Payload, Header(Payload, Secret, Now.AddSeconds(299)), Secret).IsValid);
    }

    [Fact]
    public void Timestamp_too_far_in_the_future_is_refused()
    {
        Assert.Equal(WebhookFailureReason.TimestampInFuture, Verify(Payload, Header(Payload, Secret, Now.AddSeconds(301)), Secret).Reason);
    }

    [Fact]
    public void Zero_tolerance_disables_the_timestamp_check()
    {
        var header = Header(Payload, Secret, Now.AddDays(-30));
        var verifier = new StripeWebhookVerifier(TimeSpan.Zero, Clock);

        Assert.True(verifier.Verify(Payload, header, [Secret]).IsValid);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, verifier.Verify(Payload + " ", header, [Secret]).Reason);
    }

    [Fact]
    public void Custom_tolerance_is_applied()
    {
        var header = Header(Payload, Secret, Now.AddSeconds(-20));

        Assert.Equal(WebhookFailureReason.TimestampTooOld, new StripeWebhookVerifier(TimeSpan.FromSeconds(10), Clock).Verify(Payload, header, [Secret]).Reason);
        Assert.True(new StripeWebhookVerifier(TimeSpan.FromSeconds(30), Clock).Verify(Payload, header, [Secret]).IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_header_is_refused(string? header)
    {
        Assert.Equal(WebhookFailureReason.MissingHeader, Verify(Payload, header, Secret).Reason);
    }

    [Theory]
    [InlineData("v1=abc")]
    [InlineData("t=notanumber,v1=abc")]
    [InlineData("t=-5,v1=abc")]
    [InlineData("t=99999999999,v1=abc")]
    [InlineData("garbage")]
    public void Malformed_header_is_refused(string header)
    {
        Assert.Equal(WebhookFailureReason.MalformedHeader, Verify(Payload, header, Secret).Reason);
    }

    [Fact]
    public void Header_with_only_a_v0_signature_is_refused()
    {
        // Even a "correct" HMAC under the v0 label must not pass: only v1 is a real scheme.
        var header = $"t={Now.ToUnixTimeSeconds()},v0={V1(Payload, Secret, Now)}";

        Assert.Equal(WebhookFailureReason.NoV1Signature, Verify(Payload, header, Secret).Reason);
    }

    [Fact]
    public void V0_and_unknown_schemes_beside_a_valid_v1_are_ignored()
    {
        Assert.True(Verify(Payload, $"t={Now.ToUnixTimeSeconds()},v0=deadbeef,v9=xyz,v1={V1(Payload, Secret, Now)}", Secret).IsValid);
    }

    [Fact]
    public void Any_of_several_v1_values_may_match()
    {
        var header = $"t={Now.ToUnixTimeSeconds()},v1={new string('0', 64)},v1={V1(Payload, Secret, Now)}";

        Assert.True(Verify(Payload, header, Secret).IsValid);
    }

    [Fact]
    public void Upper_case_hex_is_not_accepted()
    {
        Assert.False(Verify(Payload, $"t={Now.ToUnixTimeSeconds()},v1={V1(Payload, Secret, Now).ToUpperInvariant()}", Secret).IsValid);
    }

    [Fact]
    public void Rotation_accepts_events_signed_by_the_old_or_the_new_secret()
    {
        var byOld = Header(Payload, OldSecret, Now);
        var byNew = Header(Payload, Secret, Now);
        var byBoth = $"t={Now.ToUnixTimeSeconds()},v1={V1(Payload, OldSecret, Now)},v1={V1(Payload, Secret, Now)}";

        Assert.True(Verify(Payload, byOld, Secret, OldSecret).IsValid);
        Assert.True(Verify(Payload, byNew, Secret, OldSecret).IsValid);
        Assert.True(Verify(Payload, byBoth, Secret).IsValid);
        Assert.False(Verify(Payload, byOld, Secret).IsValid);
    }

    [Fact]
    public void No_configured_secret_is_a_failure_not_a_pass()
    {
        var header = Header(Payload, Secret, Now);

        Assert.Equal(WebhookFailureReason.NoSecrets, Verify(Payload, header).Reason);
        Assert.Equal(WebhookFailureReason.NoSecrets, Verify(Payload, header, "").Reason);
    }

    [Fact]
    public void Construct_event_verifies_then_parses_with_stripe_net()
    {
        var stripeEvent = new StripeWebhookVerifier().ConstructEvent(Payload, Header(Payload, Secret, DateTimeOffset.UtcNow), [OldSecret, Secret]);

        Assert.Equal("evt_1", stripeEvent.Id);
        Assert.Equal("invoice.paid", stripeEvent.Type);
        Assert.Equal(Now.UtcDateTime, stripeEvent.Created);
        Assert.False(stripeEvent.Livemode);
        Assert.Equal(StripeConfiguration.ApiVersion, stripeEvent.ApiVersion);
        Assert.Equal("req_1", stripeEvent.Request?.Id);
        Assert.Equal("key-1", stripeEvent.Request?.IdempotencyKey);
        var invoice = Assert.IsType<Invoice>(stripeEvent.Data.Object);
        Assert.Equal(1500, invoice.AmountPaid);
        Assert.Equal("sub_1", invoice.Parent.SubscriptionDetails.SubscriptionId);
    }

    [Fact]
    public void Construct_event_throws_with_the_reason()
    {
        var header = Header(Payload, Secret, DateTimeOffset.UtcNow.AddHours(-1));

        var error = Assert.Throws<StripeSignatureException>(() => new StripeWebhookVerifier().ConstructEvent(Payload, header, [Secret]));

        Assert.Equal(WebhookFailureReason.TimestampTooOld, error.Reason);
    }

    [Fact]
    public void An_event_of_another_api_version_is_read_not_refused()
    {
        // Refusing it would make Stripe retry for days and then disable the endpoint; we read the envelope only.
        var older = Payload.Replace("2026-10-28.endive", "2025-03-31.basil", StringComparison.Ordinal);

        var stripeEvent = new StripeWebhookVerifier(time: Clock).ConstructEvent(older, Header(older, Secret, Now), [Secret]);

        Assert.Equal("2025-03-31.basil", stripeEvent.ApiVersion);
        Assert.Throws<StripeException>(() => EventUtility.ParseEvent(older));
    }

    [Fact]
    public void A_signed_body_that_is_not_an_event_is_refused()
    {
        const string body = """{"id":"cus_1","object":"customer"}""";

        var error = Assert.Throws<StripeSignatureException>(() => new StripeWebhookVerifier(time: Clock).ConstructEvent(body, Header(body, Secret, Now), [Secret]));

        Assert.Equal(WebhookFailureReason.InvalidPayload, error.Reason);
    }

    [Fact]
    public void A_signed_body_that_is_not_json_is_refused()
    {
        const string body = "not json";

        var error = Assert.Throws<StripeSignatureException>(() => new StripeWebhookVerifier(time: Clock).ConstructEvent(body, Header(body, Secret, Now), [Secret]));

        Assert.Equal(WebhookFailureReason.InvalidPayload, error.Reason);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
