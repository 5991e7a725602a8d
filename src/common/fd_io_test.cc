#include "common/fd_io.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

namespace basalt {
namespace {

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++) s[i] = static_cast<char>(i * 131 + i / 251);
  return s;
}

std::string ReadExactly(int fd, size_t n) {
  std::string out(n, '\0');
  size_t done = 0;
  while (done < n) {
    const ssize_t r = ::read(fd, out.data() + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  out.resize(done);
  return out;
}

TEST(WriteAll, WritesEveryByte) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string data = Pattern(1000);
  ASSERT_TRUE(WriteAll(fds[1], data.data(), data.size()));
  ASSERT_TRUE(WriteAll(fds[1], data.data(), 0));
  ::close(fds[1]);
  EXPECT_EQ(ReadExactly(fds[0], data.size() + 1), data);
  ::close(fds[0]);
}

void IgnoreSignal(int) {}

TEST(WriteAll, CarriesOnAfterSignalsAndShortWrites) {
  // A pipe holds far less than this, so the writer blocks; signals (handled
  // without SA_RESTART) interrupt it with EINTR or a short write.
  struct sigaction action = {};
  struct sigaction previous = {};
  action.sa_handler = IgnoreSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  ASSERT_EQ(::sigaction(SIGUSR1, &action, &previous), 0);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string data = Pattern(4 << 20);
  std::atomic<bool> done{false};
  bool ok = false;
  std::thread writer([&] {
    ok = WriteAll(fds[1], data.data(), data.size());
    done = true;
  });
  for (int i = 0; i < 20 && !done; i++) {
    ::pthread_kill(writer.native_handle(), SIGUSR1);
    ::usleep(2000);
  }
  const std::string got = ReadExactly(fds[0], data.size());
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
  ::sigaction(SIGUSR1, &previous, nullptr);
  EXPECT_TRUE(ok);
  EXPECT_TRUE(got == data) << "read " << got.size() << " of " << data.size() << " bytes";
}

TEST(WriteAll, ReportsTheFailedWritesErrno) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  // The read end of a pipe cannot be written.
  errno = 0;
  EXPECT_FALSE(WriteAll(fds[0], "x", 1));
  EXPECT_EQ(errno, EBADF);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace basalt
