// Message framing for the PostgreSQL v3 wire protocol: big-endian integers,
// NUL-terminated strings, and the split of a byte stream into messages.
// Kept free of sockets so that malformed and truncated input can be unit tested.
// See docs/server.md for the protocol subset the server speaks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// Reads fields from one message body. Every read checks the bounds and
// returns false, without moving, when the body is too short, so a malformed
// message never reads past its end.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool ReadByte(uint8_t* out);
  bool ReadInt16(int16_t* out);
  bool ReadInt32(int32_t* out);
  // A string up to (not including) its NUL; false when no NUL follows.
  bool ReadCString(std::string_view* out);
  bool ReadBytes(size_t n, std::string_view* out);

  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Builds outgoing messages in one buffer: BeginMessage, the fields, then
// EndMessage, which fills in the length. Not thread safe.
class WireWriter {
 public:
  // `type` is the message's tag byte, e.g. 'Z' for ReadyForQuery.
  void BeginMessage(char type);
  void EndMessage();

  void AddByte(uint8_t value) { buffer_.push_back(static_cast<char>(value)); }
  void AddInt16(int16_t value);
  void AddInt32(int32_t value);
  // Appends `value` and a NUL. The protocol cannot carry a NUL inside a
  // string, so one in `value` is dropped rather than cutting the string short.
  void AddCString(std::string_view value);
  void AddBytes(std::string_view value) { buffer_.append(value); }
  // Appends `n` bytes for the caller to fill (a whole message at once, say);
  // the pointer is good until the next call that adds to the buffer.
  char* AddSpace(size_t n) {
    size_t old_size = buffer_.size();
    buffer_.resize(old_size + n);
    return buffer_.data() + old_size;
  }

  const std::string& data() const { return buffer_; }
  size_t size() const { return buffer_.size(); }
  void Clear() { buffer_.clear(); }

 private:
  std::string buffer_;
  size_t message_start_ = 0;  // offset of the length field of the open message
  bool open_ = false;
};

// One framed message. `type` is 0 for the untyped startup-phase messages
// (StartupMessage, SSLRequest, CancelRequest).
struct WireMessage {
  char type = 0;
  std::string body;  // without the type byte and the length field
};

// Splits received bytes into messages. Append what the socket gave, then call
// Next until it stops returning kMessage. Not thread safe.
class MessageFramer {
 public:
  enum class Status {
    kMessage,    // `*out` holds the next message
    kNeedMore,   // the buffer ends inside a message (or is empty)
    kBadLength,  // a length field < 4 (8 in startup) or > the maximum: close the connection
  };

  explicit MessageFramer(uint32_t max_message_length) : max_length_(max_message_length) {}

  // Whether the next message has no type byte, as before the startup message.
  void set_startup(bool startup) { startup_ = startup; }
  bool startup() const { return startup_; }
  // The startup packet has its own, much smaller limit than later messages.
  void set_max_message_length(uint32_t length) { max_length_ = length; }

  void Append(const char* data, size_t n);
  Status Next(WireMessage* out);
  // Bytes received that are not yet part of a returned message.
  size_t buffered() const { return buffer_.size() - pos_; }

 private:
  std::string buffer_;
  size_t pos_ = 0;  // start of the first unreturned byte
  uint32_t max_length_;
  bool startup_ = true;
};

}  // namespace basalt
