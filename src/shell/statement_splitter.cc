#include "shell/statement_splitter.h"

namespace basalt {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Bytes of UTF-8 sequences count as letters, as PostgreSQL's lexer treats them.
bool IsIdentifierStart(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$'; }

}  // namespace

void StatementSplitter::Append(std::string_view text) { buffer_.append(text); }

std::optional<SplitStatement> StatementSplitter::Next() {
  while (true) {
    size_t end = Scan(/*at_end=*/false);
    if (end == std::string::npos) return std::nullopt;
    if (auto statement = Cut(end)) return statement;
  }
}

std::optional<SplitStatement> StatementSplitter::Finish() {
  std::optional<SplitStatement> result;
  size_t end = Scan(/*at_end=*/true);
  // A `;` cannot be found here when Next() has been drained, since only the
  // last character can wait for lookahead; but if it is, honour it.
  if (end != std::string::npos) {
    result = Cut(end);
    if (result) return result;
  }
  size_t start = content_start_;
  if (start == std::string::npos && state_ != State::kNormal && state_ != State::kLineComment) {
    // Only an unterminated comment: hand it over so the engine can say so.
    start = 0;
    while (start < buffer_.size() && IsSpace(buffer_[start])) ++start;
  }
  if (start != std::string::npos) {
    size_t stop = buffer_.size();
    while (stop > start && IsSpace(buffer_[stop - 1])) --stop;
    if (stop > start) {
      result = SplitStatement{buffer_.substr(start, stop - start),
                              content_start_ != std::string::npos ? content_line_ : line_};
    }
  }
  Clear();
  return result;
}

bool StatementSplitter::AtStatementStart() const {
  return content_start_ == std::string::npos && state_ == State::kNormal && scan_ == buffer_.size();
}

void StatementSplitter::SkipLine() {
  buffer_.clear();
  scan_ = 0;
  ++line_;
}

void StatementSplitter::Clear() {
  buffer_.clear();
  scan_ = 0;
  ResetStatementState();
  state_ = State::kNormal;
}

void StatementSplitter::ResetStatementState() {
  comment_depth_ = 0;
  dollar_tag_.clear();
  content_start_ = std::string::npos;
}

std::vector<std::string> StatementSplitter::SplitAll(std::string_view text) {
  StatementSplitter splitter;
  splitter.Append(text);
  std::vector<std::string> statements;
  while (auto s = splitter.Next()) statements.push_back(std::move(s->text));
  if (auto s = splitter.Finish()) statements.push_back(std::move(s->text));
  return statements;
}

std::optional<SplitStatement> StatementSplitter::Cut(size_t length) {
  std::optional<SplitStatement> result;
  if (content_start_ != std::string::npos) {
    result = SplitStatement{buffer_.substr(content_start_, length - content_start_), content_line_};
  }
  buffer_.erase(0, length);
  scan_ -= length;
  ResetStatementState();
  return result;
}

size_t StatementSplitter::Scan(bool at_end) {
  const size_t size = buffer_.size();
  size_t i = scan_;
  // Moves past n bytes, keeping the line count.
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < size; ++k, ++i) {
      if (buffer_[i] == '\n') ++line_;
    }
  };
  auto mark_content = [&]() {
    if (content_start_ == std::string::npos) {
      content_start_ = i;
      content_line_ = line_;
    }
  };
  // Whether the byte after i is known; when it is not and more input may
  // come, scanning stops at i so that the pair is seen whole later.
  auto need_next = [&]() { return i + 1 >= size && !at_end; };

  while (i < size) {
    const char c = buffer_[i];
    const char next = i + 1 < size ? buffer_[i + 1] : '\0';
    switch (state_) {
      case State::kNormal:
        if (IsSpace(c)) {
          advance(1);
        } else if (c == '-' || c == '/') {
          if (need_next()) {
            scan_ = i;
            return std::string::npos;
          }
          if (c == '-' && next == '-') {
            state_ = State::kLineComment;
            advance(2);
          } else if (c == '/' && next == '*') {
            state_ = State::kBlockComment;
            comment_depth_ = 1;
            advance(2);
          } else {
            mark_content();
            advance(1);
          }
        } else if (c == ';') {
          advance(1);
          scan_ = i;
          return i;
        } else if (c == '\'') {
          mark_content();
          // E'...' (not the end of a longer name such as `name'`) takes escapes.
          bool escape = i >= 1 && (buffer_[i - 1] == 'e' || buffer_[i - 1] == 'E') &&
                        (i < 2 || !IsIdentifierChar(buffer_[i - 2]));
          state_ = escape ? State::kEscapeString : State::kString;
          advance(1);
        } else if (c == '"') {
          mark_content();
          state_ = State::kIdentifier;
          advance(1);
        } else if (c == '$' && (i == 0 || !IsIdentifierChar(buffer_[i - 1]))) {
          // $tag$ opens a dollar-quoted string; $1 is a parameter.
          size_t j = i + 1;
          while (j < size && (j == i + 1 ? IsIdentifierStart(buffer_[j])
                                         : IsIdentifierChar(buffer_[j]) && buffer_[j] != '$')) {
            ++j;
          }
          if (j >= size && !at_end) {
            scan_ = i;
            return std::string::npos;
          }
          mark_content();
          if (j < size && buffer_[j] == '$') {
            dollar_tag_ = buffer_.substr(i, j + 1 - i);
            state_ = State::kDollarString;
            advance(j + 1 - i);
          } else {
            advance(1);
          }
        } else {
          mark_content();
          advance(1);
        }
        break;

      case State::kLineComment:
        if (c == '\n') state_ = State::kNormal;
        advance(1);
        break;

      case State::kBlockComment:
        if ((c == '/' || c == '*') && need_next()) {
          scan_ = i;
          return std::string::npos;
        }
        if (c == '/' && next == '*') {
          ++comment_depth_;
          advance(2);
        } else if (c == '*' && next == '/') {
          if (--comment_depth_ == 0) state_ = State::kNormal;
          advance(2);
        } else {
          advance(1);
        }
        break;

      case State::kString:
      case State::kEscapeString:
      case State::kIdentifier: {
        const char quote = state_ == State::kIdentifier ? '"' : '\'';
        if (c == '\\' && state_ == State::kEscapeString) {
          if (need_next()) {
            scan_ = i;
            return std::string::npos;
          }
          advance(2);
        } else if (c == quote) {
          if (need_next()) {
            scan_ = i;
            return std::string::npos;
          }
          if (next == quote) {
            advance(2);  // a doubled quote stands for itself
          } else {
            state_ = State::kNormal;
            advance(1);
          }
        } else {
          advance(1);
        }
        break;
      }

      case State::kDollarString:
        if (c == '$') {
          if (i + dollar_tag_.size() > size && !at_end) {
            scan_ = i;
            return std::string::npos;
          }
          if (buffer_.compare(i, dollar_tag_.size(), dollar_tag_) == 0) {
            state_ = State::kNormal;
            advance(dollar_tag_.size());
            dollar_tag_.clear();
            break;
          }
        }
        advance(1);
        break;
    }
  }
  scan_ = i;
  return std::string::npos;
}

}  // namespace basalt
