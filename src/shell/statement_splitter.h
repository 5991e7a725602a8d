// Splits SQL text into statements at semicolons, the way the shell needs it:
// text arrives a line at a time (from a terminal, a pipe or a file) and each
// statement runs as soon as its terminating `;` has been read.
//
// The splitter understands just enough of the lexical grammar to tell a `;`
// that ends a statement from one that does not: '...' strings (with '' inside),
// E'...' strings (with backslash escapes), "..." identifiers, $tag$...$tag$
// strings, -- comments and nested /* */ comments, as PostgreSQL does. It does
// not parse SQL; the engine reports every other error.
//
// Not thread-safe; one splitter belongs to one input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

// One statement cut out of the input.
struct SplitStatement {
  // From the first character that is neither whitespace nor part of a comment
  // through the terminating `;` (when there is one). Comments inside stay.
  std::string text;
  // 1-based line of the input on which `text` starts.
  int line = 1;
};

class StatementSplitter {
 public:
  // Adds input; it may end anywhere, even inside a string or a comment.
  void Append(std::string_view text);

  // The next complete statement, or nothing until more input arrives.
  // Empty statements (a lone `;`, or only comments before it) are skipped.
  std::optional<SplitStatement> Next();

  // At the end of the input: what is left as a statement, if anything. An
  // unterminated string or comment is handed over too, so that the engine
  // reports it rather than the text vanishing. Resets the splitter.
  std::optional<SplitStatement> Finish();

  // Whether nothing but whitespace and complete comments is pending, i.e. the
  // next line starts a new statement (where the shell accepts meta commands).
  // Meaningful once Next() has returned nothing.
  bool AtStatementStart() const;

  // Drops a pending input line that was not SQL (a meta command) but keeps the
  // line count right. Only valid when AtStatementStart().
  void SkipLine();

  // Discards all pending input (the user gave up on a statement).
  void Clear();

  // Splits complete text; the statement after the last `;` is included.
  static std::vector<std::string> SplitAll(std::string_view text);

 private:
  enum class State {
    kNormal,
    kLineComment,
    kBlockComment,
    kString,        // '...'
    kEscapeString,  // E'...'
    kIdentifier,    // "..."
    kDollarString,  // $tag$...$tag$
  };

  // Scans from scan_ as far as the buffered text allows; returns the offset
  // just past a statement-ending `;`, or npos. With `at_end`, text that could
  // only be decided by more input (a trailing `-`, `/`, `$ta`) is decided now.
  size_t Scan(bool at_end);
  // Removes the first `length` bytes of the buffer as a statement.
  std::optional<SplitStatement> Cut(size_t length);
  void ResetStatementState();

  std::string buffer_;
  size_t scan_ = 0;  // bytes of buffer_ already scanned
  State state_ = State::kNormal;
  int comment_depth_ = 0;
  std::string dollar_tag_;  // including both `$`
  // Offset in buffer_ of the statement's first significant character, or npos.
  size_t content_start_ = std::string::npos;
  int content_line_ = 1;
  int line_ = 1;  // line of buffer_[scan_]
};

}  // namespace basalt
