// libFuzzer target over the server's parsing of what clients send: the
// framing of the byte stream into messages (MessageFramer, WireReader), the
// decoders of the startup packet, SASL messages and the extended query
// protocol's messages (pg_messages.h), and the binary format of bound
// parameter values of every type (pg_binary_format.h).
//
// Input: one byte that seeds how the stream is cut, then the bytes a client
// would send from the start of a connection (a startup packet, then typed
// messages). The stream is fed to a MessageFramer in pieces of varying size,
// switching from the startup phase to typed messages as the server does, and
// every message is decoded. Checked beyond "no crash, no sanitizer report":
//   - cutting the stream differently yields exactly the same messages;
//   - a decoded message encodes back to a body that decodes to the same
//     message (and, where the encoding is unique, to the very same bytes);
//   - a binary parameter value that decodes encodes back to a value that
//     decodes to the same (to the same bytes for the fixed-width types), and
//     one that does not fails with one of the documented SQLSTATEs.
// See docs/server.md, "Fuzzing".
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/exception.h"
#include "common/value.h"
#include "server/pg_binary_format.h"
#include "server/pg_messages.h"
#include "server/wire_buffer.h"

namespace basalt {
namespace {

// As the server: the startup packet has PostgreSQL's small limit; later
// messages get a smaller limit than the server's 64 MiB, which changes
// nothing for inputs of a few KiB.
constexpr uint32_t kMaxStartupLength = 10000;
constexpr uint32_t kMaxMessageLength = 1 << 20;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "server_message_fuzz: check failed: %s\n", what);
    std::abort();
  }
}

// A small deterministic generator for the piece sizes.
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

struct Framed {
  std::vector<WireMessage> messages;
  std::vector<bool> in_startup;  // per message: read in the startup phase
  MessageFramer::Status last = MessageFramer::Status::kNeedMore;
  bool refused = false;  // stopped at a startup packet the server would close on
};

// What the server does with a startup-phase message: whether the next one
// is a typed message (after a StartupMessage), and whether to stop.
enum class StartupStep { kStayInStartup, kTyped, kStop };

std::string EncodeStartupPacket(const StartupPacket& p) {
  WireWriter w;
  w.AddInt32(static_cast<int32_t>((static_cast<uint32_t>(p.protocol_major) << 16) |
                                  static_cast<uint32_t>(p.protocol_minor)));
  for (const auto& [name, value] : p.parameters) {
    w.AddCString(name);
    w.AddCString(value);
  }
  w.AddByte(0);
  return w.data();
}

// Decodes a startup-phase packet with the server's decoder and decides as
// PgSession::HandleStartupPacket does, for a server without TLS.
StartupStep ReadStartup(std::string_view body) {
  StartupPacket packet;
  std::string error = DecodeStartupPacket(body, &packet);
  using Kind = StartupPacket::Kind;
  if (packet.kind == Kind::kCancelRequest) {
    if (error.empty()) {
      WireWriter w;
      w.AddInt32(kPgCancelRequestCode);
      w.AddInt32(packet.process_id);
      w.AddInt32(packet.secret_key);
      Check(w.data() == body, "CancelRequest does not re-encode to its body");
    }
    return StartupStep::kStop;  // served (or ignored) without an answer
  }
  if (!error.empty()) return StartupStep::kStop;  // FATAL 08P01
  if (packet.kind == Kind::kSslRequest || packet.kind == Kind::kGssEncRequest) {
    return StartupStep::kStayInStartup;  // 'N', then the client goes on
  }
  if (packet.protocol_major != kPgProtocolMajor) return StartupStep::kStop;  // 0A000
  size_t options = 0;
  for (const auto& [name, value] : packet.parameters) {
    Check(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos,
          "startup parameter holds a NUL");
    Check(!name.empty(), "empty startup parameter name");
    if (name.starts_with("_pq_.")) ++options;
  }
  Check(options == packet.protocol_options.size(), "protocol options miscounted");
  // A version 3 StartupMessage has one encoding.
  Check(EncodeStartupPacket(packet) == body, "StartupMessage does not re-encode to its body");
  if (packet.Parameter("user").empty()) return StartupStep::kStop;  // 28000
  return StartupStep::kTyped;
}

// Splits `stream` into messages, appending it in pieces whose sizes come from
// `seed` (seed 0: all at once).
Framed Frame(std::string_view stream, uint64_t seed) {
  Framed framed;
  MessageFramer framer(kMaxStartupLength);
  SplitMix random(seed);
  size_t fed = 0;
  bool stop = false;
  while (fed < stream.size() && !stop) {
    size_t piece = stream.size() - fed;
    if (seed != 0) {
      uint64_t r = random.Next();
      // Mostly tiny pieces (header and body cut anywhere), sometimes larger.
      size_t limit = (r & 3) == 0 ? 4096 : (r & 3) == 1 ? 64 : 7;
      piece = std::min<size_t>(piece, 1 + (r >> 8) % limit);
    }
    framer.Append(stream.data() + fed, piece);
    fed += piece;
    Check(framer.buffered() <= fed, "framer holds more than it was given");
    while (true) {
      WireMessage message;
      MessageFramer::Status status = framer.Next(&message);
      framed.last = status;
      if (status == MessageFramer::Status::kNeedMore) break;
      if (status == MessageFramer::Status::kBadLength) {
        stop = true;  // the server closes the connection
        break;
      }
      bool startup = framer.startup();
      Check(!startup || message.type == '\0', "startup-phase messages have no type");
      framed.messages.push_back(message);
      framed.in_startup.push_back(startup);
      if (startup) {
        StartupStep step = ReadStartup(message.body);
        if (step == StartupStep::kStop) {
          framed.refused = true;
          stop = true;
          break;
        }
        if (step == StartupStep::kTyped) {
          framer.set_startup(false);
          framer.set_max_message_length(kMaxMessageLength);
        }
      } else if (message.type == 'X') {
        stop = true;  // Terminate
        break;
      }
    }
  }
  return framed;
}

// Encoders: what a client would send for a decoded message.
std::string EncodeParse(const ParseMessage& m) {
  WireWriter w;
  w.AddCString(m.statement_name);
  w.AddCString(m.query);
  w.AddInt16(static_cast<int16_t>(m.parameter_type_oids.size()));
  for (int32_t oid : m.parameter_type_oids) w.AddInt32(oid);
  return w.data();
}

std::string EncodeBind(const BindMessage& m) {
  WireWriter w;
  w.AddCString(m.portal_name);
  w.AddCString(m.statement_name);
  w.AddInt16(static_cast<int16_t>(m.parameter_formats.size()));
  for (PgFormat f : m.parameter_formats) w.AddInt16(static_cast<int16_t>(f));
  w.AddInt16(static_cast<int16_t>(m.parameter_values.size()));
  for (const auto& value : m.parameter_values) {
    if (!value) {
      w.AddInt32(-1);
      continue;
    }
    w.AddInt32(static_cast<int32_t>(value->size()));
    w.AddBytes(*value);
  }
  w.AddInt16(static_cast<int16_t>(m.result_formats.size()));
  for (PgFormat f : m.result_formats) w.AddInt16(static_cast<int16_t>(f));
  return w.data();
}

std::string EncodeDescribeOrClose(const DescribeOrCloseMessage& m) {
  WireWriter w;
  w.AddByte(static_cast<uint8_t>(m.target));
  w.AddCString(m.name);
  return w.data();
}

std::string EncodeExecute(const ExecuteMessage& m) {
  WireWriter w;
  w.AddCString(m.portal_name);
  w.AddInt32(m.max_rows);
  return w.data();
}

bool SameBind(const BindMessage& a, const BindMessage& b) {
  return a.portal_name == b.portal_name && a.statement_name == b.statement_name &&
         a.parameter_formats == b.parameter_formats && a.parameter_values == b.parameter_values &&
         a.result_formats == b.result_formats;
}

// Every type a bound parameter can have; kInvalid is a parameter of unknown type.
const LogicalType kParameterTypes[] = {
    TypeId::kBoolean,
    TypeId::kSmallint,
    TypeId::kInteger,
    TypeId::kBigint,
    TypeId::kReal,
    TypeId::kDouble,
    LogicalType::Decimal(kMaxDecimalPrecision, 0),
    TypeId::kVarchar,
    TypeId::kDate,
    TypeId::kTimestamp,
    TypeId::kInterval,
    TypeId::kInvalid,
};

// Decodes `data` as a binary parameter of every type.
void DecodeBinaryValue(std::string_view data) {
  for (const LogicalType& type : kParameterTypes) {
    Value value;
    try {
      value = PgValueFromBinary(data, type, 1);
    } catch (const BasaltError& e) {
      std::string_view code = e.code();
      Check(code == sqlstate::kInvalidBinaryRepresentation ||
                code == sqlstate::kNumericOutOfRange || code == sqlstate::kDatetimeFieldOverflow ||
                code == sqlstate::kIndeterminateDatatype,
            "binary parameter failed with an unexpected SQLSTATE");
      continue;
    }
    Check(value.type().id() == type.id() && !value.IsNull(), "binary parameter of another type");
    std::string encoded = PgBinaryOf(value);
    Value again = PgValueFromBinary(encoded, type, 1);
    Check(again == value, "re-encoded binary parameter decodes differently");
    switch (type.id()) {
      case TypeId::kBoolean:
        Check(encoded == std::string(1, data[0] != 0 ? 1 : 0), "boolean re-encodes differently");
        break;
      case TypeId::kDecimal:  // digits past the scale and zero words may be dropped
        Check(encoded.size() <= kMaxPgNumericBinarySize, "numeric longer than its maximum");
        Check(PgBinaryOf(again) == encoded, "numeric encoding is not stable");
        break;
      case TypeId::kReal:
      case TypeId::kDouble:
        // A REAL is kept as a double, which quiets a signaling NaN.
        if (std::isnan(value.GetDouble())) break;
        Check(encoded == data, "float does not re-encode to its bytes");
        break;
      default:  // one encoding per value
        Check(encoded == data, "binary parameter does not re-encode to its bytes");
        break;
    }
  }
}

void DecodeTyped(const WireMessage& message, uint64_t seed) {
  const std::string& body = message.body;
  switch (message.type) {
    case 'P': {
      ParseMessage m;
      if (!DecodeParse(body, &m).empty()) return;
      // Parse has one encoding: names and query end at their NULs, and the
      // OID count must match the rest exactly.
      Check(EncodeParse(m) == body, "Parse does not re-encode to its body");
      return;
    }
    case 'B': {
      BindMessage m;
      if (!DecodeBind(body, &m).empty()) return;
      Check(m.parameter_formats.size() == m.parameter_values.size(),
            "Bind: one format per parameter after expansion");
      BindMessage again;
      Check(DecodeBind(EncodeBind(m), &again).empty(), "re-encoded Bind does not decode");
      Check(SameBind(m, again), "re-encoded Bind decodes differently");
      for (const auto& value : m.parameter_values) {
        if (value) DecodeBinaryValue(*value);
      }
      // The result formats against a column count chosen by the input.
      size_t columns = seed % 5 == 0 ? m.result_formats.size() : (seed >> 8) % 4;
      std::vector<PgFormat> formats;
      if (ExpandResultFormats(m.result_formats, columns, &formats).empty()) {
        Check(formats.size() == columns, "ExpandResultFormats: one format per column");
      }
      return;
    }
    case 'D':
    case 'C': {
      DescribeOrCloseMessage m;
      if (!DecodeDescribeOrClose(body, &m).empty()) return;
      Check(m.target == 'S' || m.target == 'P', "Describe/Close target");
      Check(EncodeDescribeOrClose(m) == body, "Describe/Close does not re-encode to its body");
      return;
    }
    case 'E': {
      ExecuteMessage m;
      if (!DecodeExecute(body, &m).empty()) return;
      Check(m.max_rows >= 0, "Execute: negative row limit kept");
      ExecuteMessage again;
      Check(DecodeExecute(EncodeExecute(m), &again).empty(), "re-encoded Execute does not decode");
      Check(again.portal_name == m.portal_name && again.max_rows == m.max_rows,
            "re-encoded Execute decodes differently");
      return;
    }
    case 'p': {
      // SASLInitialResponse or SASLResponse: which one depends on the
      // session's state, so both decoders see every 'p'.
      SaslInitialResponse initial;
      if (DecodeSaslInitialResponse(body, &initial).empty()) {
        WireWriter w;  // the one encoding of a SASLInitialResponse
        w.AddCString(initial.mechanism);
        w.AddInt32(initial.data ? static_cast<int32_t>(initial.data->size()) : -1);
        if (initial.data) w.AddBytes(*initial.data);
        Check(w.data() == body, "SASLInitialResponse does not re-encode to its body");
      }
      std::string response;
      Check(DecodeSaslResponse(body, &response).empty() && response == body,
            "SASLResponse is not its body");
      return;
    }
    case 'Q': {
      WireReader reader(body);
      std::string_view query;
      if (reader.ReadCString(&query)) Check(query.size() < body.size(), "query past its NUL");
      return;
    }
    default:
      return;
  }
}

}  // namespace
}  // namespace basalt

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace basalt;
  if (size < 1) return 0;
  // Never 0, which means "all at once".
  uint64_t seed = uint64_t{data[0]} + 1;
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  Framed pieces = Frame(stream, seed);
  Framed whole = Frame(stream, 0);
  Check(pieces.messages.size() == whole.messages.size(), "message count depends on the cuts");
  for (size_t i = 0; i < pieces.messages.size(); ++i) {
    Check(pieces.messages[i].type == whole.messages[i].type &&
              pieces.messages[i].body == whole.messages[i].body &&
              pieces.in_startup[i] == whole.in_startup[i],
          "message depends on the cuts");
  }
  Check(pieces.last == whole.last && pieces.refused == whole.refused,
        "final framer state depends on the cuts");

  for (size_t i = 0; i < pieces.messages.size(); ++i) {
    if (!pieces.in_startup[i]) DecodeTyped(pieces.messages[i], seed);
  }
  return 0;
}
