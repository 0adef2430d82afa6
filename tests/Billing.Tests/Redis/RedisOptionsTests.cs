using Billing.ServiceDefaults.Redis;

namespace Billing.Tests.Redis;

public sealed class RedisOptionsTests
{
    [Fact]
    public void Parse_reads_every_supported_option()
    {
        var options = RedisOptions.Parse("cache.internal:6380,password=s3cr=t,user=gateway,connectTimeout=1500,syncTimeout=250,database=4,name=gw,abortConnect=false,ssl=false");

        Assert.Equal("cache.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal("s3cr=t", options.Password);
        Assert.Equal("gateway", options.User);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal(4, options.Database);
        Assert.Equal("gw", options.ClientName);
    }

    [Fact]
    public void Parse_defaults_the_port_and_reads_bracketed_IPv6()
    {
        Assert.Equal(("localhost", 6379), (RedisOptions.Parse("localhost").Host, RedisOptions.Parse("localhost").Port));
        var ipv6 = RedisOptions.Parse("[::1]:7000,password=x");
        Assert.Equal(("::1", 7000), (ipv6.Host, ipv6.Port));
        Assert.Equal("[::1]:7000", ipv6.EndPoint);
    }

    [Theory]
    [InlineData("localhost:6379,retries=3", "retries")]
    [InlineData("a:1,b:2", "more than one server")]
    [InlineData("password=x", "no host")]
    [InlineData("localhost:70000", "invalid port")]
    [InlineData("localhost,database=-1", "database")]
    [InlineData("localhost,syncTimeout=0", "syncTimeout")]
    [InlineData("localhost,ssl=true", "TLS")]
    public void Parse_rejects_what_it_cannot_honour_and_says_what(string connectionString, string named)
    {
        var error = Assert.Throws<FormatException>(() => RedisOptions.Parse(connectionString));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void ToString_never_shows_the_password()
    {
        var options = RedisOptions.Parse("127.0.0.1:6379,password=hunter2");

        Assert.DoesNotContain("hunter2", options.ToString());
        Assert.Contains("127.0.0.1:6379", options.ToString());
    }
}
