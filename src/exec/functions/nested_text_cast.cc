#include "exec/functions/nested_text_cast.h"

#include <optional>
#include <vector>

#include "common/exception.h"
#include "common/nested_type.h"
#include "common/nested_value.h"
#include "exec/cast.h"

namespace basalt {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsNullWord(std::string_view s) {
  return s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' && (s[2] | 0x20) == 'l' &&
         (s[3] | 0x20) == 'l';
}

// A recursive-descent reader; depth is bounded by the type's (at most 32).
class NestedTextParser {
 public:
  NestedTextParser(std::string_view text, const LogicalType& type) : text_(text), type_(type) {}

  std::string Parse() {
    std::string out = Value(type_);
    SkipSpace();
    if (pos_ != text_.size()) Fail("text after the value");
    return out;
  }

 private:
  // The encoded LIST / STRUCT at pos_.
  std::string Value(const LogicalType& type) {
    SkipSpace();
    NestedBuilder b;
    if (type.id() == TypeId::kList) {
      Expect('[');
      SkipSpace();
      if (Accept(']')) return b.FinishList();
      do {
        Item(ListChildType(type), &b);
        SkipSpace();
      } while (Accept(','));
      Expect(']');
      return b.FinishList();
    }
    const auto& fields = StructFields(type);
    std::vector<std::optional<std::string>> items(fields.size());  // element forms
    std::vector<bool> seen(fields.size(), false);
    Expect('{');
    SkipSpace();
    if (!Accept('}')) {
      do {
        SkipSpace();
        std::string key = Key();
        std::optional<size_t> field = StructFieldIndex(type, key);
        if (!field) Fail("no field \"" + key + "\"");
        if (seen[*field]) Fail("field \"" + key + "\" given twice");
        seen[*field] = true;
        SkipSpace();
        Expect(':');
        NestedBuilder one;
        Item(fields[*field].type, &one);
        std::string encoded = one.FinishList();  // varint(1), bitmap, element
        if (static_cast<uint8_t>(encoded[1]) & 1) items[*field] = encoded.substr(2);
        SkipSpace();
      } while (Accept(','));
      Expect('}');
    }
    for (const auto& item : items) {
      if (item) {
        b.AppendValid()->append(*item);
      } else {
        b.AppendNull();  // NULL or not given
      }
    }
    return b.FinishStruct();
  }

  // One element of `type` appended to `b`.
  void Item(const LogicalType& type, NestedBuilder* b) {
    SkipSpace();
    if (type.IsNested()) {
      if (PeekNull()) {
        pos_ += 4;
        b->AppendNull();
        return;
      }
      std::string nested = Value(type);
      std::string* body = b->AppendValid();
      PutVarint(body, nested.size());
      body->append(nested);
      return;
    }
    std::string text;
    if (pos_ < text_.size() && text_[pos_] == '\'') {
      text = Quoted();
    } else {
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ']' &&
             text_[pos_] != '}') {
        if (text_[pos_] == '[' || text_[pos_] == '{' || text_[pos_] == '\'') {
          Fail("an unquoted element holds a bracket or a quote");
        }
        pos_++;
      }
      size_t end = pos_;
      while (end > start && IsSpace(text_[end - 1])) end--;
      std::string_view raw = text_.substr(start, end - start);
      if (raw.empty()) Fail("an empty element");
      if (IsNullWord(raw)) {
        b->AppendNull();
        return;
      }
      text = std::string(raw);
    }
    basalt::Value v = CastValue(basalt::Value::Varchar(std::move(text)), type);
    if (v.IsNull()) {
      b->AppendNull();
    } else {
      AppendElementValue(b->AppendValid(), type, v);
    }
  }

  std::string Key() {
    if (pos_ < text_.size() && text_[pos_] == '\'') return Quoted();
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ':') pos_++;
    size_t end = pos_;
    while (end > start && IsSpace(text_[end - 1])) end--;
    if (end == start) Fail("a field without a name");
    return std::string(text_.substr(start, end - start));
  }

  // 'text' with \x standing for x.
  std::string Quoted() {
    pos_++;  // '
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ == text_.size()) break;
        out += text_[pos_++];
      } else if (c == '\'') {
        return out;
      } else {
        out += c;
      }
    }
    Fail("an unterminated quoted element");
  }

  bool PeekNull() const {
    if (text_.size() - pos_ < 4 || !IsNullWord(text_.substr(pos_, 4))) return false;
    size_t after = pos_ + 4;
    while (after < text_.size() && IsSpace(text_[after])) after++;
    return after == text_.size() || text_[after] == ',' || text_[after] == ']' ||
           text_[after] == '}';
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) pos_++;
  }

  bool Accept(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }

  void Expect(char c) {
    if (!Accept(c)) Fail(std::string("expected \"") + c + "\"");
  }

  [[noreturn]] void Fail(const std::string& what) const {
    ThrowError(sqlstate::kInvalidTextRepresentation,
               "invalid input syntax for type {}: \"{}\" ({} at character {})", type_.ToString(),
               text_, what, pos_ + 1);
  }

  std::string_view text_;
  const LogicalType& type_;
  size_t pos_ = 0;
};

}  // namespace

std::string ParseNestedText(std::string_view text, const LogicalType& type) {
  return NestedTextParser(text, type).Parse();
}

}  // namespace basalt
