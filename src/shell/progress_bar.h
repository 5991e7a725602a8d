// A progress bar on a terminal for a statement that runs long: after a
// short delay, one line on stderr redrawn a few times a second with the
// share done, rows scanned of the estimate and fragment instances finished;
// erased when the statement ends, so the output below is what it always is.
//
//   {
//     ProgressBar bar([&] { return connection.Progress(); }, std::cerr);
//     result = connection.Query(sql);
//   }  // the bar is gone
//
// Thread safety: the bar draws on its own thread; construct and destroy it
// on one thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "exec/query_progress.h"

namespace basalt {

class ProgressBar {
 public:
  ProgressBar(std::function<ProgressFigures()> poll, std::ostream& out);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // One line of the bar, `width` columns for the bar itself, for tests:
  // "[=========>          ]  45%  1.2M of 2.6M rows  3/8 instances  1.5 s".
  static std::string Render(const ProgressFigures& figures, double seconds, int width = 30);

 private:
  void Loop();

  std::function<ProgressFigures()> poll_;
  std::ostream& out_;
  std::mutex mutex_;  // guards done_
  std::condition_variable done_cv_;
  bool done_ = false;
  bool drawn_ = false;  // written only by the drawing thread, read after join
  std::thread thread_;
};

}  // namespace basalt
