// Interactive line input through libedit: editing keys, and history kept in
// a file across sessions. Failing to read or write the history file is never
// an error; the shell works without it.
//
// Ctrl-C while a line is being edited abandons it (ReadLine says kInterrupted);
// outside ReadLine the default SIGINT action stands, because the engine has no
// way to cancel a running statement yet and ending the shell is the only stop.
//
// libedit keeps global state, so there is at most one LineEditor at a time.
#pragma once

#include <string>

namespace basalt {

inline constexpr int kHistorySize = 1000;

class LineEditor {
 public:
  // `history_path` may be empty for no history.
  explicit LineEditor(std::string history_path);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class ReadStatus { kLine, kInterrupted, kEnd };
  // Reads a line, without its newline, into *line. kEnd: Ctrl-D or end of input.
  ReadStatus ReadLine(const std::string& prompt, std::string* line);
  // Remembers a line the user entered (blank lines are not kept).
  void AddHistory(const std::string& line);

  // $HOME/.basalt_history, or empty when HOME is not set.
  static std::string DefaultHistoryPath();

 private:
  std::string history_path_;
};

}  // namespace basalt
