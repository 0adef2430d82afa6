using System.Net.Http.Json;
using System.Text.Json;

namespace Billing.Tests.Gateway;

public static class ProblemAssert
{
    /// <summary>Asserts an API problem answer (status, problem+json, code, the request id of the response) and returns its body.</summary>
    public static async Task<JsonElement> IsProblem(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("requestId").GetString());
        return problem;
    }
}
