#include "server/wire_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

std::string Int32Bytes(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

TEST(WireReaderTest, ReadsBigEndianFieldsAndStrings) {
  std::string data =
      std::string("\x01\x02", 2) + Int32Bytes(0xFFFFFFFE) + "abc" + std::string(1, '\0') + "x";
  WireReader reader(data);
  int16_t i16 = 0;
  int32_t i32 = 0;
  std::string_view s;
  ASSERT_TRUE(reader.ReadInt16(&i16));
  EXPECT_EQ(i16, 0x0102);
  ASSERT_TRUE(reader.ReadInt32(&i32));
  EXPECT_EQ(i32, -2);
  ASSERT_TRUE(reader.ReadCString(&s));
  EXPECT_EQ(s, "abc");
  EXPECT_EQ(reader.remaining(), 1u);
  uint8_t byte = 0;
  ASSERT_TRUE(reader.ReadByte(&byte));
  EXPECT_EQ(byte, 'x');
  EXPECT_TRUE(reader.AtEnd());
}

TEST(WireReaderTest, TruncatedFieldsFailWithoutMoving) {
  std::string data("\x01\x02\x03", 3);
  WireReader reader(data);
  int32_t i32 = 7;
  EXPECT_FALSE(reader.ReadInt32(&i32));
  EXPECT_EQ(i32, 7);
  EXPECT_EQ(reader.remaining(), 3u);
  std::string_view s;
  EXPECT_FALSE(reader.ReadCString(&s));  // no NUL
  EXPECT_FALSE(reader.ReadBytes(4, &s));
  int16_t i16 = 0;
  EXPECT_TRUE(reader.ReadInt16(&i16));
  EXPECT_FALSE(reader.ReadInt16(&i16));
  uint8_t byte = 0;
  EXPECT_TRUE(reader.ReadByte(&byte));
  EXPECT_FALSE(reader.ReadByte(&byte));
}

TEST(WireReaderTest, EmptyCString) {
  std::string data(1, '\0');
  WireReader reader(data);
  std::string_view s = "unset";
  ASSERT_TRUE(reader.ReadCString(&s));
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(reader.AtEnd());
}

TEST(WireWriterTest, FillsInTheLengthAndDropsNulsInStrings) {
  WireWriter writer;
  writer.BeginMessage('C');
  writer.AddCString(std::string("SEL\0ECT 1", 9));
  writer.EndMessage();
  writer.BeginMessage('Z');
  writer.AddByte('I');
  writer.EndMessage();
  std::string expected =
      "C" + Int32Bytes(4 + 9) + "SELECT 1" + std::string(1, '\0') + "Z" + Int32Bytes(5) + "I";
  EXPECT_EQ(writer.data(), expected);
  writer.Clear();
  EXPECT_EQ(writer.size(), 0u);
}

TEST(WireWriterTest, NegativeIntegers) {
  WireWriter writer;
  writer.AddInt32(-1);
  writer.AddInt16(-2);
  EXPECT_EQ(writer.data(), std::string("\xFF\xFF\xFF\xFF\xFF\xFE", 6));
}

TEST(MessageFramerTest, StartupThenTypedMessagesFedByteByByte) {
  std::string startup = Int32Bytes(8) + Int32Bytes(196608);
  std::string query = "Q" + Int32Bytes(4 + 9) + "SELECT 1" + std::string(1, '\0');
  std::string terminate = "X" + Int32Bytes(4);
  MessageFramer framer(1 << 20);
  WireMessage message;
  for (size_t i = 0; i < startup.size(); ++i) {
    EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kNeedMore);
    framer.Append(&startup[i], 1);
  }
  ASSERT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
  EXPECT_EQ(message.type, '\0');
  EXPECT_EQ(message.body, Int32Bytes(196608));
  framer.set_startup(false);
  std::string rest = query + terminate;
  for (size_t i = 0; i < query.size(); ++i) {
    EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kNeedMore);
    framer.Append(&rest[i], 1);
  }
  ASSERT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
  EXPECT_EQ(message.type, 'Q');
  EXPECT_EQ(message.body, "SELECT 1" + std::string(1, '\0'));
  framer.Append(rest.data() + query.size(), terminate.size());
  ASSERT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
  EXPECT_EQ(message.type, 'X');
  EXPECT_TRUE(message.body.empty());
  EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kNeedMore);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(MessageFramerTest, SeveralMessagesInOneRead) {
  std::string data = "S" + Int32Bytes(4) + "H" + Int32Bytes(4) + "X" + Int32Bytes(4);
  MessageFramer framer(1 << 20);
  framer.set_startup(false);
  framer.Append(data.data(), data.size());
  WireMessage message;
  std::string types;
  while (framer.Next(&message) == MessageFramer::Status::kMessage) types += message.type;
  EXPECT_EQ(types, "SHX");
}

TEST(MessageFramerTest, TruncatedMessageWaitsForMore) {
  std::string data = "Q" + Int32Bytes(100) + "SELECT";
  MessageFramer framer(1 << 20);
  framer.set_startup(false);
  framer.Append(data.data(), data.size());
  WireMessage message;
  EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kNeedMore);
  EXPECT_EQ(framer.buffered(), data.size());
}

TEST(MessageFramerTest, LengthBelowMinimumIsRejected) {
  for (uint32_t length : {0u, 1u, 3u}) {
    std::string data = "Q" + Int32Bytes(length);
    MessageFramer framer(1 << 20);
    framer.set_startup(false);
    framer.Append(data.data(), data.size());
    WireMessage message;
    EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kBadLength) << length;
  }
  // A startup packet needs its length and its protocol code.
  std::string startup = Int32Bytes(7) + "abc";
  MessageFramer framer(1 << 20);
  framer.Append(startup.data(), startup.size());
  WireMessage message;
  EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kBadLength);
}

TEST(MessageFramerTest, LengthAboveMaximumIsRejectedBeforeTheBodyArrives) {
  // Negative as a signed int32, and just over the limit.
  for (uint32_t length : {0xFFFFFFFFu, 0x80000000u, 1025u}) {
    std::string data = "Q" + Int32Bytes(length);
    MessageFramer framer(1024);
    framer.set_startup(false);
    framer.Append(data.data(), data.size());
    WireMessage message;
    EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kBadLength) << length;
  }
  std::string data = "Q" + Int32Bytes(1024) + std::string(1020, 'a');
  MessageFramer framer(1024);
  framer.set_startup(false);
  framer.Append(data.data(), data.size());
  WireMessage message;
  EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
  EXPECT_EQ(message.body.size(), 1020u);
}

TEST(MessageFramerTest, LimitCanChangeAfterStartup) {
  MessageFramer framer(16);
  framer.set_startup(false);
  framer.set_max_message_length(1 << 20);
  std::string data = "Q" + Int32Bytes(1000) + std::string(996, 'a');
  framer.Append(data.data(), data.size());
  WireMessage message;
  EXPECT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
}

TEST(MessageFramerTest, ManyMessagesDoNotGrowTheBuffer) {
  MessageFramer framer(1 << 20);
  framer.set_startup(false);
  std::string one = "Q" + Int32Bytes(4 + 1000) + std::string(999, 'a') + std::string(1, '\0');
  WireMessage message;
  // Keep half a message pending so the buffer is never exactly drained.
  framer.Append(one.data(), one.size() / 2);
  for (int i = 0; i < 1000; ++i) {
    framer.Append(one.data() + one.size() / 2, one.size() - one.size() / 2);
    framer.Append(one.data(), one.size() / 2);
    ASSERT_EQ(framer.Next(&message), MessageFramer::Status::kMessage);
    ASSERT_EQ(framer.Next(&message), MessageFramer::Status::kNeedMore);
  }
  EXPECT_EQ(framer.buffered(), one.size() / 2);
}

}  // namespace
}  // namespace basalt
