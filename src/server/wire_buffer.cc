#include "server/wire_buffer.h"

#include <cstring>

namespace basalt {

namespace {

uint32_t LoadBigEndian32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

// The startup packet carries at least its length and the protocol code.
constexpr uint32_t kMinStartupLength = 8;
constexpr uint32_t kMinMessageLength = 4;

}  // namespace

bool WireReader::ReadByte(uint8_t* out) {
  if (remaining() < 1) return false;
  *out = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool WireReader::ReadInt16(int16_t* out) {
  if (remaining() < 2) return false;
  auto b = reinterpret_cast<const unsigned char*>(data_.data() + pos_);
  *out = static_cast<int16_t>((b[0] << 8) | b[1]);
  pos_ += 2;
  return true;
}

bool WireReader::ReadInt32(int32_t* out) {
  if (remaining() < 4) return false;
  *out = static_cast<int32_t>(LoadBigEndian32(data_.data() + pos_));
  pos_ += 4;
  return true;
}

bool WireReader::ReadCString(std::string_view* out) {
  size_t end = data_.find('\0', pos_);
  if (end == std::string_view::npos) return false;
  *out = data_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return true;
}

bool WireReader::ReadBytes(size_t n, std::string_view* out) {
  if (remaining() < n) return false;
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

void WireWriter::BeginMessage(char type) {
  buffer_.push_back(type);
  message_start_ = buffer_.size();
  AddInt32(0);  // filled in by EndMessage
  open_ = true;
}

void WireWriter::EndMessage() {
  if (!open_) return;
  auto length = static_cast<uint32_t>(buffer_.size() - message_start_);
  char* p = buffer_.data() + message_start_;
  p[0] = static_cast<char>(length >> 24);
  p[1] = static_cast<char>(length >> 16);
  p[2] = static_cast<char>(length >> 8);
  p[3] = static_cast<char>(length);
  open_ = false;
}

void WireWriter::AddInt16(int16_t value) {
  auto v = static_cast<uint16_t>(value);
  buffer_.push_back(static_cast<char>(v >> 8));
  buffer_.push_back(static_cast<char>(v));
}

void WireWriter::AddInt32(int32_t value) {
  auto v = static_cast<uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) buffer_.push_back(static_cast<char>(v >> shift));
}

void WireWriter::AddCString(std::string_view value) {
  for (char c : value) {
    if (c != '\0') buffer_.push_back(c);
  }
  buffer_.push_back('\0');
}

void MessageFramer::Append(const char* data, size_t n) {
  // Drop what has been returned before growing, so a long session does not
  // keep every message it ever received.
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(data, n);
}

MessageFramer::Status MessageFramer::Next(WireMessage* out) {
  size_t header = startup_ ? 4 : 5;
  if (buffered() < header) return Status::kNeedMore;
  const char* start = buffer_.data() + pos_;
  uint32_t length = LoadBigEndian32(start + header - 4);
  uint32_t min_length = startup_ ? kMinStartupLength : kMinMessageLength;
  // The length counts itself but not the type byte.
  if (length < min_length || length > max_length_) return Status::kBadLength;
  size_t total = header - 4 + size_t{length};
  if (buffered() < total) return Status::kNeedMore;
  out->type = startup_ ? '\0' : start[0];
  out->body.assign(start + header, total - header);
  pos_ += total;
  return Status::kMessage;
}

}  // namespace basalt
