#include "exec/functions/like_matcher.h"

#include <cstring>

#include "exec/functions/function_errors.h"
#include "exec/functions/utf8.h"

namespace basalt {

LikeMatcher::LikeMatcher(std::string_view pattern, std::string_view escape, bool case_insensitive)
    : case_insensitive_(case_insensitive) {
  if (Utf8Length(escape) > 1) {
    throw BasaltError(sqlstate::kInvalidEscapeCharacter,
                      "invalid escape string (an escape string must be empty or one character)");
  }
  bool has_escape = !escape.empty();
  int escape_length = 0;
  char32_t escape_char = has_escape ? Utf8Decode(escape, 0, &escape_length) : 0;

  bool any_char = false;
  auto append_literal = [&](char32_t cp, std::string_view bytes) {
    if (case_insensitive_) {
      char buf[4];
      int n = Utf8Encode(ToLowerCodePoint(cp), buf);
      if (n == static_cast<int>(bytes.size())) bytes = std::string_view(buf, n);
      for (char c : bytes) tokens_.push_back(static_cast<uint8_t>(c));
    } else {
      for (char c : bytes) tokens_.push_back(static_cast<uint8_t>(c));
    }
  };
  for (size_t i = 0; i < pattern.size();) {
    int n;
    char32_t cp = Utf8Decode(pattern, i, &n);
    if (has_escape && cp == escape_char) {
      if (i + n >= pattern.size()) {
        throw BasaltError(sqlstate::kInvalidEscapeSequence,
                          "LIKE pattern must not end with escape character");
      }
      i += n;
      char32_t literal = Utf8Decode(pattern, i, &n);
      append_literal(literal, pattern.substr(i, n));
    } else if (cp == '%') {
      if (tokens_.empty() || tokens_.back() != kAnySequence) tokens_.push_back(kAnySequence);
    } else if (cp == '_') {
      tokens_.push_back(kAnyChar);
      any_char = true;
    } else {
      append_literal(cp, pattern.substr(i, n));
    }
    i += n;
  }
  if (any_char) {
    kind_ = Kind::kGeneral;
    return;
  }

  // Only literals and '%': split into the literal runs between them.
  int percents = 0;
  std::string current;
  for (int16_t t : tokens_) {
    if (t == kAnySequence) {
      percents++;
      if (!current.empty()) segments_.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(static_cast<char>(t));
    }
  }
  if (!current.empty()) segments_.push_back(std::move(current));
  anchored_start_ = tokens_.empty() || tokens_.front() != kAnySequence;
  anchored_end_ = tokens_.empty() || tokens_.back() != kAnySequence;
  if (percents == 0) {
    kind_ = Kind::kExact;
    literal_ = segments_.empty() ? std::string() : segments_[0];
  } else if (segments_.empty()) {
    kind_ = Kind::kAnything;
  } else if (segments_.size() == 1) {
    literal_ = segments_[0];
    if (anchored_start_) {
      kind_ = Kind::kPrefix;
    } else if (anchored_end_) {
      kind_ = Kind::kSuffix;
    } else {
      kind_ = Kind::kContains;
    }
  } else {
    kind_ = Kind::kSegments;
  }
}

bool LikeMatcher::Matches(std::string_view text) const {
  if (!case_insensitive_) return MatchesFolded(text);
  thread_local std::string folded;
  folded.clear();
  AppendLower(text, &folded);
  return MatchesFolded(folded);
}

bool LikeMatcher::MatchesFolded(std::string_view text) const {
  switch (kind_) {
    case Kind::kExact:
      return text == literal_;
    case Kind::kPrefix:
      return text.starts_with(literal_);
    case Kind::kSuffix:
      return text.ends_with(literal_);
    case Kind::kContains:
      return memmem(text.data(), text.size(), literal_.data(), literal_.size()) != nullptr;
    case Kind::kAnything:
      return true;
    case Kind::kSegments:
      return MatchSegments(text);
    case Kind::kGeneral:
      return MatchGeneral(text);
  }
  return false;
}

// With only '%' wildcards, taking each segment at its leftmost position after
// the previous one is optimal: a later position never helps the segments
// that follow.
bool LikeMatcher::MatchSegments(std::string_view text) const {
  size_t first = 0, last = segments_.size();
  size_t begin = 0, end = text.size();
  if (anchored_start_) {
    if (!text.starts_with(segments_[0])) return false;
    begin = segments_[0].size();
    first = 1;
  }
  if (anchored_end_) {
    const std::string& tail = segments_.back();
    if (end - begin < tail.size() || !text.ends_with(tail)) return false;
    end -= tail.size();
    last--;
  }
  for (size_t k = first; k < last; k++) {
    const std::string& seg = segments_[k];
    if (end - begin < seg.size()) return false;
    const void* hit = memmem(text.data() + begin, end - begin, seg.data(), seg.size());
    if (hit == nullptr) return false;
    begin = static_cast<const char*>(hit) - text.data() + seg.size();
  }
  return true;
}

// Greedy matching that remembers only the last '%': on a mismatch it lets
// that '%' swallow one more character and retries from there. Earlier '%'s
// never need revisiting because the last one can absorb anything they could.
bool LikeMatcher::MatchGeneral(std::string_view text) const {
  const size_t m = tokens_.size(), n = text.size();
  size_t p = 0, i = 0;
  size_t star_p = std::string_view::npos, star_i = 0;
  auto char_end = [&](size_t at) {
    size_t e = at + Utf8SequenceLength(static_cast<uint8_t>(text[at]));
    return e < n ? e : n;
  };
  while (i < n) {
    if (p < m) {
      int16_t t = tokens_[p];
      if (t == kAnySequence) {
        star_p = p++;
        star_i = i;
        continue;
      }
      if (t == kAnyChar) {
        i = char_end(i);
        p++;
        continue;
      }
      if (static_cast<uint8_t>(text[i]) == t) {
        i++;
        p++;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    star_i = char_end(star_i);
    i = star_i;
  }
  while (p < m && tokens_[p] == kAnySequence) p++;
  return p == m;
}

}  // namespace basalt
