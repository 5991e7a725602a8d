#include "server/pg_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "server/wire_buffer.h"

namespace basalt {
namespace {

// Builds message bodies with the server's own writer, minus the header.
class BodyBuilder {
 public:
  BodyBuilder() { writer_.BeginMessage('x'); }
  BodyBuilder& Int16(int16_t v) { return writer_.AddInt16(v), *this; }
  BodyBuilder& Int32(int32_t v) { return writer_.AddInt32(v), *this; }
  BodyBuilder& CString(std::string_view v) { return writer_.AddCString(v), *this; }
  BodyBuilder& Bytes(std::string_view v) { return writer_.AddBytes(v), *this; }
  BodyBuilder& Byte(uint8_t v) { return writer_.AddByte(v), *this; }
  std::string Build() {
    writer_.EndMessage();
    return writer_.data().substr(5);  // type byte and length
  }

 private:
  WireWriter writer_;
};

TEST(PgMessagesTest, DecodesParse) {
  std::string body = BodyBuilder().CString("s1").CString("SELECT $1").Int16(1).Int32(23).Build();
  ParseMessage parse;
  ASSERT_EQ(DecodeParse(body, &parse), "");
  EXPECT_EQ(parse.statement_name, "s1");
  EXPECT_EQ(parse.query, "SELECT $1");
  ASSERT_EQ(parse.parameter_type_oids.size(), 1u);
  EXPECT_EQ(parse.parameter_type_oids[0], 23);
}

TEST(PgMessagesTest, RejectsParseWithWrongTypeCount) {
  ParseMessage parse;
  EXPECT_NE(DecodeParse(BodyBuilder().CString("").CString("q").Int16(2).Int32(23).Build(), &parse),
            "");
  EXPECT_NE(DecodeParse(BodyBuilder().CString("").CString("q").Int16(-1).Build(), &parse), "");
  EXPECT_NE(DecodeParse(BodyBuilder().CString("").Build(), &parse), "");
  EXPECT_NE(DecodeParse(std::string("no terminator"), &parse), "");
}

TEST(PgMessagesTest, DecodesBindWithOneFormatForAll) {
  std::string body = BodyBuilder()
                         .CString("p")
                         .CString("s")
                         .Int16(1)
                         .Int16(1)  // binary for every parameter
                         .Int16(2)
                         .Int32(4)
                         .Bytes(std::string("\0\0\0\x07", 4))
                         .Int32(-1)
                         .Int16(0)
                         .Build();
  BindMessage bind;
  ASSERT_EQ(DecodeBind(body, &bind), "");
  EXPECT_EQ(bind.portal_name, "p");
  EXPECT_EQ(bind.statement_name, "s");
  ASSERT_EQ(bind.parameter_formats.size(), 2u);
  EXPECT_EQ(bind.parameter_formats[1], PgFormat::kBinary);
  ASSERT_EQ(bind.parameter_values.size(), 2u);
  EXPECT_EQ(*bind.parameter_values[0], std::string("\0\0\0\x07", 4));
  EXPECT_FALSE(bind.parameter_values[1].has_value());
  EXPECT_TRUE(bind.result_formats.empty());
}

TEST(PgMessagesTest, CountsAreUnsigned) {
  // PostgreSQL accepts up to 65535 parameters: the count is unsigned.
  BodyBuilder body;
  body.CString("").CString("").Int16(0).Int16(static_cast<int16_t>(40000));
  for (int i = 0; i < 40000; ++i) body.Int32(-1);
  BindMessage bind;
  ASSERT_EQ(DecodeBind(body.Int16(0).Build(), &bind), "");
  EXPECT_EQ(bind.parameter_values.size(), 40000u);
}

TEST(PgMessagesTest, RejectsMalformedBind) {
  BindMessage bind;
  // A value length beyond the body.
  EXPECT_NE(
      DecodeBind(BodyBuilder().CString("").CString("").Int16(0).Int16(1).Int32(100).Build(), &bind),
      "");
  // A format code that is neither text nor binary.
  EXPECT_NE(
      DecodeBind(BodyBuilder().CString("").CString("").Int16(1).Int16(7).Int16(0).Int16(0).Build(),
                 &bind),
      "");
  // Two format codes for three parameters.
  EXPECT_NE(DecodeBind(BodyBuilder()
                           .CString("")
                           .CString("")
                           .Int16(2)
                           .Int16(0)
                           .Int16(0)
                           .Int16(3)
                           .Int32(-1)
                           .Int32(-1)
                           .Int32(-1)
                           .Int16(0)
                           .Build(),
                       &bind),
            "");
  // A huge parameter count in a short body, and a negative length.
  EXPECT_NE(DecodeBind(BodyBuilder().CString("").CString("").Int16(0).Int16(30000).Build(), &bind),
            "");
  EXPECT_NE(
      DecodeBind(BodyBuilder().CString("").CString("").Int16(0).Int16(1).Int32(-5).Int16(0).Build(),
                 &bind),
      "");
  // Trailing bytes after the result formats.
  EXPECT_NE(
      DecodeBind(BodyBuilder().CString("").CString("").Int16(0).Int16(0).Int16(0).Byte(1).Build(),
                 &bind),
      "");
}

TEST(PgMessagesTest, DecodesDescribeCloseAndExecute) {
  DescribeOrCloseMessage describe;
  ASSERT_EQ(DecodeDescribeOrClose(BodyBuilder().Byte('P').CString("c1").Build(), &describe), "");
  EXPECT_EQ(describe.target, 'P');
  EXPECT_EQ(describe.name, "c1");
  EXPECT_NE(DecodeDescribeOrClose(BodyBuilder().Byte('X').CString("").Build(), &describe), "");
  EXPECT_NE(DecodeDescribeOrClose(BodyBuilder().Byte('S').Build(), &describe), "");

  ExecuteMessage execute;
  ASSERT_EQ(DecodeExecute(BodyBuilder().CString("").Int32(10).Build(), &execute), "");
  EXPECT_EQ(execute.max_rows, 10);
  EXPECT_NE(DecodeExecute(BodyBuilder().CString("").Build(), &execute), "");
}

TEST(PgMessagesTest, ExpandsResultFormats) {
  std::vector<PgFormat> formats;
  ASSERT_EQ(ExpandResultFormats({}, 3, &formats), "");
  EXPECT_EQ(formats, std::vector<PgFormat>(3, PgFormat::kText));
  ASSERT_EQ(ExpandResultFormats({PgFormat::kBinary}, 2, &formats), "");
  EXPECT_EQ(formats, std::vector<PgFormat>(2, PgFormat::kBinary));
  EXPECT_NE(ExpandResultFormats({PgFormat::kBinary, PgFormat::kText}, 3, &formats), "");
}

TEST(PgMessagesTest, DecodesStartupMessage) {
  std::string body = BodyBuilder()
                         .Int32(3 << 16)
                         .CString("user")
                         .CString("alice")
                         .CString("database")
                         .CString("db")
                         .CString("application_name")
                         .CString("")
                         .CString("user")
                         .CString("bob")
                         .Byte(0)
                         .Build();
  StartupPacket packet;
  ASSERT_EQ(DecodeStartupPacket(body, &packet), "");
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(packet.protocol_major, 3);
  EXPECT_EQ(packet.protocol_minor, 0);
  ASSERT_EQ(packet.parameters.size(), 4u);
  EXPECT_EQ(packet.parameters[2], (std::pair<std::string, std::string>("application_name", "")));
  // A repeated name: the last one counts, as in PostgreSQL.
  EXPECT_EQ(packet.Parameter("user"), "bob");
  EXPECT_EQ(packet.Parameter("database"), "db");
  EXPECT_EQ(packet.Parameter("options"), "");
  EXPECT_TRUE(packet.protocol_options.empty());
}

TEST(PgMessagesTest, DecodesStartupMessageOfANewerMinorVersionWithOptions) {
  std::string body = BodyBuilder()
                         .Int32((3 << 16) | 2)
                         .CString("user")
                         .CString("u")
                         .CString("_pq_.compression")
                         .CString("on")
                         .Byte(0)
                         .Build();
  StartupPacket packet;
  ASSERT_EQ(DecodeStartupPacket(body, &packet), "");
  EXPECT_EQ(packet.protocol_minor, 2);
  EXPECT_EQ(packet.protocol_options, std::vector<std::string>{"_pq_.compression"});
  EXPECT_EQ(packet.Parameter("_pq_.compression"), "on");
}

TEST(PgMessagesTest, RejectsMalformedStartupMessages) {
  StartupPacket packet;
  const std::string layout = "invalid startup packet layout: expected terminator as last byte";
  // No terminating empty name; a name without its value; bytes after the terminator.
  EXPECT_EQ(DecodeStartupPacket(BodyBuilder().Int32(3 << 16).CString("user").CString("u").Build(),
                                &packet),
            layout);
  EXPECT_EQ(DecodeStartupPacket(BodyBuilder().Int32(3 << 16).CString("user").Build(), &packet),
            layout);
  EXPECT_EQ(DecodeStartupPacket(BodyBuilder().Int32(3 << 16).Bytes("user").Build(), &packet),
            layout);
  EXPECT_EQ(DecodeStartupPacket(BodyBuilder().Int32(3 << 16).Byte(0).Byte('x').Build(), &packet),
            layout);
  EXPECT_EQ(DecodeStartupPacket(BodyBuilder().Int16(3).Build(), &packet),
            "invalid length of startup packet");
  // Another major version: its layout is unknown, so nothing more is read,
  // and the session refuses it with 0A000.
  ASSERT_EQ(DecodeStartupPacket(BodyBuilder().Int32(2 << 16).Bytes("\xff").Build(), &packet), "");
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(packet.protocol_major, 2);
  EXPECT_TRUE(packet.parameters.empty());
}

TEST(PgMessagesTest, DecodesRequestCodes) {
  StartupPacket packet;
  ASSERT_EQ(DecodeStartupPacket(BodyBuilder().Int32(kPgSslRequestCode).Build(), &packet), "");
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kSslRequest);
  // A request code read as a version, for "unsupported frontend protocol 1234.5679".
  EXPECT_EQ(packet.protocol_major, 1234);
  EXPECT_EQ(packet.protocol_minor, 5679);
  ASSERT_EQ(DecodeStartupPacket(BodyBuilder().Int32(kPgGssEncRequestCode).Build(), &packet), "");
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kGssEncRequest);

  ASSERT_EQ(DecodeStartupPacket(
                BodyBuilder().Int32(kPgCancelRequestCode).Int32(42).Int32(-7).Build(), &packet),
            "");
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kCancelRequest);
  EXPECT_EQ(packet.process_id, 42);
  EXPECT_EQ(packet.secret_key, -7);
  // A malformed CancelRequest is still known as one, so it can be ignored silently.
  for (const std::string& body :
       {BodyBuilder().Int32(kPgCancelRequestCode).Int32(42).Build(),
        BodyBuilder().Int32(kPgCancelRequestCode).Int32(42).Int32(1).Byte(0).Build()}) {
    EXPECT_EQ(DecodeStartupPacket(body, &packet), "invalid length of cancel request");
    EXPECT_EQ(packet.kind, StartupPacket::Kind::kCancelRequest);
  }
}

TEST(PgMessagesTest, DecodesSaslMessages) {
  SaslInitialResponse initial;
  ASSERT_EQ(DecodeSaslInitialResponse(
                BodyBuilder().CString("SCRAM-SHA-256").Int32(3).Bytes("n,,").Build(), &initial),
            "");
  EXPECT_EQ(initial.mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(initial.data, std::optional<std::string>("n,,"));
  // Length -1: no initial response at all, which is not the same as an empty one.
  ASSERT_EQ(DecodeSaslInitialResponse(BodyBuilder().CString("X").Int32(-1).Build(), &initial), "");
  EXPECT_EQ(initial.mechanism, "X");
  EXPECT_FALSE(initial.data.has_value());
  ASSERT_EQ(DecodeSaslInitialResponse(BodyBuilder().CString("X").Int32(0).Build(), &initial), "");
  EXPECT_EQ(initial.data, std::optional<std::string>(""));

  // Truncated data, extra bytes, a negative length, no length, no NUL after the name.
  for (const std::string& body :
       {BodyBuilder().CString("M").Int32(100).Bytes("n,,").Build(),
        BodyBuilder().CString("M").Int32(1).Bytes("ab").Build(),
        BodyBuilder().CString("M").Int32(-2).Build(), BodyBuilder().CString("M").Int16(0).Build(),
        BodyBuilder().Bytes("SCRAM").Build()}) {
    EXPECT_EQ(DecodeSaslInitialResponse(body, &initial), "invalid SASLInitialResponse message");
  }

  std::string response;
  ASSERT_EQ(DecodeSaslResponse(std::string("c=biws,r=abc,p=xyz\0x", 20), &response), "");
  EXPECT_EQ(response, std::string("c=biws,r=abc,p=xyz\0x", 20));
}

}  // namespace
}  // namespace basalt
