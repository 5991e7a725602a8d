#include "shell/line_editor.h"

#include <editline/readline.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "shell/text_width.h"

namespace basalt {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

// libedit retries a read interrupted by a signal; reading keys ourselves lets
// Ctrl-C end the line at once instead. SIGINT is blocked except inside ppoll,
// so a Ctrl-C that comes before the wait (say, while libedit draws the
// prompt) is seen too, not left waiting for the next key.
int ReadByte(FILE* in) {
  sigset_t interrupt;
  sigset_t previous;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  pthread_sigmask(SIG_BLOCK, &interrupt, &previous);
  sigset_t waiting = previous;
  sigdelset(&waiting, SIGINT);
  int key = EOF;
  while (!g_interrupted) {
    struct pollfd poll_fd = {fileno(in), POLLIN, 0};
    if (ppoll(&poll_fd, 1, nullptr, &waiting) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    unsigned char c;
    ssize_t n = read(fileno(in), &c, 1);
    if (n == 1) {
      key = c;
      break;
    }
    if (n == 0 || errno != EINTR) break;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return key;
}

// libedit wants whole characters from a getc function, not bytes.
int ReadKey(FILE* in) {
  int lead = ReadByte(in);
  if (lead == EOF || lead < 0x80) return lead;
  size_t length = (lead & 0xE0) == 0xC0   ? 2
                  : (lead & 0xF0) == 0xE0 ? 3
                  : (lead & 0xF8) == 0xF0 ? 4
                                          : 1;
  std::string bytes(1, static_cast<char>(lead));
  while (bytes.size() < length) {
    int next = ReadByte(in);
    if (next == EOF) return EOF;
    bytes += static_cast<char>(next);
  }
  char32_t cp;
  DecodeUtf8(bytes, 0, &cp);
  return static_cast<int>(cp);
}

// libedit handles multibyte characters only under a multibyte LC_CTYPE, and
// SQL text is UTF-8 whatever the environment says (often "C" in containers).
// Only LC_CTYPE changes: number formatting stays as it was.
void UseUtf8Ctype() {
  const char* locale = std::setlocale(LC_CTYPE, "");
  if (locale == nullptr || std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
    std::setlocale(LC_CTYPE, "C.UTF-8");
  }
}

}  // namespace

LineEditor::LineEditor(std::string history_path) : history_path_(std::move(history_path)) {
  UseUtf8Ctype();
  rl_readline_name = "basalt";
  // Signals are handled here (see ReadLine), not by libedit.
  rl_catch_signals = 0;
  rl_getc_function = ReadKey;
  rl_initialize();
  // A pasted statement containing tabs must arrive as typed, not trigger
  // filename completion.
  rl_bind_key('\t', rl_insert);
  using_history();
  stifle_history(kHistorySize);
  if (!history_path_.empty()) read_history(history_path_.c_str());
}

LineEditor::~LineEditor() {
  if (!history_path_.empty()) write_history(history_path_.c_str());
}

LineEditor::ReadStatus LineEditor::ReadLine(const std::string& prompt, std::string* line) {
  // No SA_RESTART: the interrupted read() must return so ReadKey sees it.
  struct sigaction action = {};
  struct sigaction previous = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  g_interrupted = 0;
  sigaction(SIGINT, &action, &previous);
  char* raw = readline(prompt.c_str());
  sigaction(SIGINT, &previous, nullptr);

  line->clear();
  if (raw != nullptr) {
    *line = raw;
    std::free(raw);
  }
  if (g_interrupted) return ReadStatus::kInterrupted;
  return raw == nullptr ? ReadStatus::kEnd : ReadStatus::kLine;
}

void LineEditor::AddHistory(const std::string& line) {
  if (line.find_first_not_of(" \t\r\n") == std::string::npos) return;
  add_history(line.c_str());
  // Written at once so that history survives a killed shell.
  if (!history_path_.empty()) write_history(history_path_.c_str());
}

std::string LineEditor::DefaultHistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  std::string path = home;
  if (path.back() != '/') path += '/';
  return path + ".basalt_history";
}

}  // namespace basalt
