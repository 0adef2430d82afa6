using System.Text.Json;
using Billing.ServiceDefaults.Errors;

namespace Billing.ServiceDefaults.Api;

/// <summary>Enum values as the API spells them (<c>past_due</c>), for query strings; JSON bodies use JsonDefaults.</summary>
public static class SnakeCaseEnum
{
    public static string Format<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Null for a missing value; a 400 <c>validation_failed</c> naming <paramref name="field"/> for an unknown one.</summary>
    public static T? ParseOptional<T>(string? value, string field) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        foreach (var candidate in Enum.GetValues<T>())
            if (Format(candidate) == value) return candidate;
        throw ApiException.Validation(field,
            $"{field} must be one of: {string.Join(", ", Enum.GetValues<T>().Select(v => Format(v)))}.");
    }
}
