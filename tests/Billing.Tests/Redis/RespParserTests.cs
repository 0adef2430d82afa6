using System.Buffers;
using System.Text;
using Billing.ServiceDefaults.Redis;

namespace Billing.Tests.Redis;

/// <summary>The parser on bytes cut anywhere, as TCP delivers them; the server tests cover real replies.</summary>
public sealed class RespParserTests
{
    private const string NestedReply = "*4\r\n+OK\r\n:-42\r\n$6\r\nbin\r\n\0\r\n*3\r\n$-1\r\n-ERR oops\r\n*0\r\n";

    [Fact]
    public void A_reply_cut_at_any_byte_is_incomplete_until_its_last_byte_arrives()
    {
        var bytes = Encoding.UTF8.GetBytes(NestedReply);
        for (var length = 0; length < bytes.Length; length++)
        {
            var complete = RespParser.TryRead(new ReadOnlySequence<byte>(bytes, 0, length), out _, out var consumed);
            Assert.False(complete, $"parsed a reply from only {length} of {bytes.Length} bytes");
            Assert.Equal(0, consumed.GetInteger());
        }
        Assert.True(RespParser.TryRead(new ReadOnlySequence<byte>(bytes), out var reply, out _));
        AssertNestedReply(reply);
    }

    [Fact]
    public void A_reply_spread_over_one_byte_segments_parses_whole()
    {
        var sequence = OneByteSegments(Encoding.UTF8.GetBytes(NestedReply + ":7\r\n"));

        Assert.True(RespParser.TryRead(sequence, out var first, out var consumed));
        AssertNestedReply(first);
        Assert.True(RespParser.TryRead(sequence.Slice(consumed), out var second, out _));
        Assert.Equal(7, second.AsInt64());
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData("$3\r\nabcXY")]
    [InlineData("*-5\r\n")]
    public void Bytes_that_are_not_RESP_are_rejected(string text)
    {
        Assert.Throws<InvalidDataException>(() => RespParser.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), out _, out _));
    }

    private static void AssertNestedReply(RedisValue reply)
    {
        var items = reply.AsArray();
        Assert.Equal(4, items.Count);
        Assert.Equal((RedisReplyKind.SimpleString, "OK"), (items[0].Kind, items[0].AsString()));
        Assert.Equal((RedisReplyKind.Integer, -42L), (items[1].Kind, items[1].AsInt64()));
        Assert.Equal("bin\r\n\0"u8.ToArray(), items[2].AsBytes());
        var inner = items[3].AsArray();
        Assert.True(inner[0].IsNull);
        Assert.Equal((RedisReplyKind.Error, "ERR oops"), (inner[1].Kind, inner[1].AsString()));
        Assert.Equal((RedisReplyKind.Array, 0), (inner[2].Kind, inner[2].AsArray().Count));
    }

    private static ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++) last = last.Append(bytes.AsMemory(i, 1));
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
