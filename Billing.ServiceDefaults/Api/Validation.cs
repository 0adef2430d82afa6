using Billing.ServiceDefaults.Errors;

namespace Billing.ServiceDefaults.Api;

/// <summary>
/// Collects every problem of a request before answering, so a caller fixes them all at once;
/// <see cref="ThrowIfInvalid"/> answers 400 <c>validation_failed</c> with one entry per field.
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public Validation Check(bool valid, string field, string message)
    {
        if (!valid) (_errors.TryGetValue(field, out var list) ? list : _errors[field] = []).Add(message);
        return this;
    }

    public Validation Text(string? value, string field, int maxLength, bool required = true) =>
        value is null
            ? Check(!required, field, $"{field} is required.")
            : Check(value.Trim().Length > 0 || !required, field, $"{field} must not be empty.")
                .Check(value.Length <= maxLength, field, $"{field} must be at most {maxLength} characters.");

    /// <summary>Lower-case ISO 4217: three letters.</summary>
    public Validation Currency(string? value, string field = "currency") =>
        Check(value is { Length: 3 } && value.All(char.IsAsciiLetterLower), field, $"{field} must be a lower-case ISO 4217 code such as usd.");

    public Validation Money(long? cents, string field, long min = 0, long max = 99_999_999) =>
        Check(cents is not null, field, $"{field} is required.")
            .Check(cents is null || (cents >= min && cents <= max), field, $"{field} must be an integer of minor units from {min} to {max}.");

    /// <summary>Stripe's metadata rules, since metadata is copied onto Stripe objects: 50 keys, key 40 chars, value 500.</summary>
    public Validation Metadata(IReadOnlyDictionary<string, string>? metadata, string field = "metadata")
    {
        if (metadata is null) return this;
        return Check(metadata.Count <= 50, field, $"{field} has at most 50 keys.")
            .Check(metadata.Keys.All(k => k.Length is > 0 and <= 40 && !k.Contains('[') && !k.Contains(']')), field,
                $"{field} keys are 1 to 40 characters without square brackets.")
            .Check(metadata.Values.All(v => v is not null && v.Length <= 500), field, $"{field} values are strings of at most 500 characters.");
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw ApiException.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
