#include "common/nested_type.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "common/exception.h"

namespace basalt {

namespace {

// Entries live in chunks that never move; the chunk table is fixed, so a
// reader finds an entry without taking the lock.
constexpr size_t kChunkBits = 10;
constexpr size_t kChunkSize = size_t{1} << kChunkBits;
constexpr size_t kMaxChunks = 4096;  // four million distinct nested types

class NestedTypeRegistry {
 public:
  static NestedTypeRegistry& Get() {
    static NestedTypeRegistry* registry = new NestedTypeRegistry();  // never destroyed
    return *registry;
  }

  uint32_t Intern(NestedTypeInfo info) {
    std::string key = Key(info);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    uint32_t index = next_++;  // 0 is "not nested"
    size_t chunk = index >> kChunkBits;
    if (chunk >= kMaxChunks) {
      ThrowError(sqlstate::kProgramLimitExceeded, "too many distinct LIST and STRUCT types");
    }
    if (!chunks_[chunk].load(std::memory_order_relaxed)) {
      chunks_[chunk].store(new NestedTypeInfo[kChunkSize], std::memory_order_release);
    }
    chunks_[chunk].load(std::memory_order_relaxed)[index & (kChunkSize - 1)] = std::move(info);
    index_.emplace(std::move(key), index);
    return index;
  }

  const NestedTypeInfo& Lookup(uint32_t index) const {
    const NestedTypeInfo* chunk = chunks_[index >> kChunkBits].load(std::memory_order_acquire);
    if (index == 0 || !chunk) {
      throw BasaltError(sqlstate::kInternalError, "internal error: unknown nested type");
    }
    return chunk[index & (kChunkSize - 1)];
  }

 private:
  NestedTypeRegistry() {
    for (auto& c : chunks_) c.store(nullptr, std::memory_order_relaxed);
  }

  // Children are already interned, so their indices identify them.
  static std::string Key(const NestedTypeInfo& info) {
    auto type_key = [](const LogicalType& t) {
      return fmt::format("{}.{}.{}.{}", static_cast<int>(t.id()), t.precision(), t.scale(),
                         t.nested_index());
    };
    if (info.id == TypeId::kList) return "L" + type_key(info.child);
    std::string key = "S";
    for (const auto& f : info.fields) {
      key += fmt::format("{}:{}|", f.name.size(), f.name);
      key += type_key(f.type);
    }
    return key;
  }

  std::mutex mutex_;  // guards index_, next_ and the filling of chunks
  std::unordered_map<std::string, uint32_t> index_;
  uint32_t next_ = 1;
  std::atomic<NestedTypeInfo*> chunks_[kMaxChunks];
};

int DepthOf(const LogicalType& t) { return t.IsNested() ? NestedInfo(t).depth : 0; }

void CheckDepth(int depth) {
  if (depth > kMaxNestingDepth) {
    ThrowError(sqlstate::kProgramLimitExceeded, "nested types are limited to {} levels",
               kMaxNestingDepth);
  }
}

bool IsPlainName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

LogicalType ListType(const LogicalType& child) {
  NestedTypeInfo info;
  info.id = TypeId::kList;
  info.child = child;
  info.depth = DepthOf(child) + 1;
  CheckDepth(info.depth);
  return LogicalType::Nested(TypeId::kList, NestedTypeRegistry::Get().Intern(std::move(info)));
}

LogicalType StructType(std::vector<StructField> fields) {
  NestedTypeInfo info;
  info.id = TypeId::kStruct;
  int depth = 0;
  for (const auto& f : fields) depth = std::max(depth, DepthOf(f.type));
  info.depth = depth + 1;
  CheckDepth(info.depth);
  info.fields = std::move(fields);
  return LogicalType::Nested(TypeId::kStruct, NestedTypeRegistry::Get().Intern(std::move(info)));
}

const NestedTypeInfo& NestedInfo(const LogicalType& type) {
  return NestedTypeRegistry::Get().Lookup(type.nested_index());
}

std::optional<size_t> StructFieldIndex(const LogicalType& s, std::string_view name) {
  const auto& fields = StructFields(s);
  for (size_t i = 0; i < fields.size(); i++) {
    if (fields[i].name == name) return i;
  }
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string wanted = lower(name);
  for (size_t i = 0; i < fields.size(); i++) {
    if (lower(fields[i].name) == wanted) return i;
  }
  return std::nullopt;
}

std::string NestedTypeToString(const LogicalType& type) {
  const NestedTypeInfo& info = NestedInfo(type);
  if (info.id == TypeId::kList) return info.child.ToString() + "[]";
  std::string out = "STRUCT(";
  for (size_t i = 0; i < info.fields.size(); i++) {
    if (i > 0) out += ", ";
    const std::string& name = info.fields[i].name;
    if (IsPlainName(name)) {
      out += name;
    } else {
      out += '"';
      for (char c : name) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += ' ';
    out += info.fields[i].type.ToString();
  }
  return out + ")";
}

namespace {

// A recursive-descent reader of the text NestedTypeToString and
// LogicalType::ToString print.
class TypeTextParser {
 public:
  explicit TypeTextParser(std::string_view text) : text_(text) {}

  std::optional<LogicalType> ParseAll() {
    auto t = Parse(0);
    SkipSpace();
    if (!t || pos_ != text_.size()) return std::nullopt;
    return t;
  }

 private:
  std::optional<LogicalType> Parse(int depth) {
    if (depth > kMaxNestingDepth) return std::nullopt;
    SkipSpace();
    std::string word;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_++])));
    }
    std::optional<LogicalType> type;
    if (word == "struct") {
      if (!Eat('(')) return std::nullopt;
      std::vector<StructField> fields;
      do {
        SkipSpace();
        std::string name;
        if (!ParseName(&name)) return std::nullopt;
        auto field_type = Parse(depth + 1);
        if (!field_type) return std::nullopt;
        fields.push_back({std::move(name), *field_type});
      } while (Eat(','));
      if (!Eat(')')) return std::nullopt;
      type = StructType(std::move(fields));
    } else if (word == "decimal") {
      int p = 0, s = 0;
      if (!Eat('(') || !ParseInt(&p) || !Eat(',') || !ParseInt(&s) || !Eat(')')) {
        return std::nullopt;
      }
      if (p < 1 || p > kMaxDecimalPrecision || s < 0 || s > p) return std::nullopt;
      type = LogicalType::Decimal(static_cast<uint8_t>(p), static_cast<uint8_t>(s));
    } else if (word == "null") {
      type = LogicalType(TypeId::kNull);
    } else {
      LogicalType t = TypeFromName(word);
      if (t.id() == TypeId::kInvalid || t.id() == TypeId::kDecimal) return std::nullopt;
      type = t;
    }
    while (true) {
      size_t save = pos_;
      if (Eat('[') && Eat(']')) {
        if (++depth > kMaxNestingDepth) return std::nullopt;
        type = ListType(*type);
      } else {
        pos_ = save;
        break;
      }
    }
    return type;
  }

  bool ParseName(std::string* out) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      pos_++;
      while (pos_ < text_.size()) {
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            *out += '"';
            pos_++;
          } else {
            return true;
          }
        } else {
          *out += c;
        }
      }
      return false;
    }
    while (pos_ < text_.size() && text_[pos_] != ' ') *out += text_[pos_++];
    return !out->empty();
  }

  bool ParseInt(int* out) {
    SkipSpace();
    size_t start = pos_;
    *out = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) &&
           pos_ - start < 4) {
      *out = *out * 10 + (text_[pos_++] - '0');
    }
    return pos_ > start;
  }

  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') pos_++;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<LogicalType> ParseTypeString(std::string_view text) {
  try {
    return TypeTextParser(text).ParseAll();
  } catch (const BasaltError&) {
    return std::nullopt;
  }
}

}  // namespace basalt
