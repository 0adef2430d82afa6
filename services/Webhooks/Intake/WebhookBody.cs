using Billing.ServiceDefaults.Errors;

namespace Billing.Webhooks.Intake;

/// <summary>Reads a delivery's raw bytes, exactly as sent: the signature covers them, not a re-serialisation.</summary>
internal static class WebhookBody
{
    /// <exception cref="ApiException">413 when the body is over <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            // Without a Content-Length (chunked) the limit is enforced while reading.
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The webhook body is larger than {maxBytes} bytes.");
}
