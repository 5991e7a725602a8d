#include "server/pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <vector>

#include "server/pg_messages.h"
#include "server/pg_session.h"
#include "server/server_log.h"
#include "server/wire_buffer.h"

namespace basalt {

namespace {

constexpr int kListenBacklog = 128;
// Clients beyond max_connections are turned away by a short session of their
// own, which reads the startup packet so the client sees the error (closing
// at once would reset the connection under its unread data). At most this
// many at a time; beyond, the error is written at once and the socket closed.
constexpr int kMaxRefusingSessions = 16;
// A client being turned away gets this long to send its startup packet.
constexpr int kRefusingTimeoutSeconds = 5;
// How often the monitor repeats the cancel for a client that has gone, in
// case its last statement had not started when the hang-up was seen.
constexpr int kGoneRecheckMillis = 100;

constexpr const char* kTooManyClients = "sorry, too many clients already";
constexpr const char* kTooManyConnectionsCode = "53300";

int32_t RandomKey() {
  int32_t key = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&key), sizeof(key)) != 1) {
    throw std::runtime_error("cannot generate a cancel key (RAND_bytes failed)");
  }
  return key;
}

// An ErrorResponse written without waiting, for a client turned away before
// its session could start.
void RefuseAtOnce(int fd, const char* code, const char* message) {
  WireWriter out;
  AppendErrorOrNotice(out, 'E', "FATAL", code, message);
  if (send(fd, out.data().data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
    // The client is gone already; nothing to tell it.
  }
}

std::string PeerName(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    port = ntohs(in6->sin6_port);
  }
  return fmt::format("{}:{}", host, port);
}

}  // namespace

PgServer::PgServer(Database& db, PgServerOptions options) : db_(db), options_(std::move(options)) {}

PgServer::~PgServer() { Stop(); }

std::string PgServer::Start() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* addresses = nullptr;
  std::string port = std::to_string(options_.port);
  int rc = getaddrinfo(options_.listen_address.c_str(), port.c_str(), &hints, &addresses);
  if (rc != 0) {
    return fmt::format("cannot resolve listen address \"{}\": {}", options_.listen_address,
                       gai_strerror(rc));
  }
  std::string error;
  for (addrinfo* a = addresses; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    // A restarted server must not wait for the old sockets' TIME_WAIT.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, kListenBacklog) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(addresses);
  if (listen_fd_ < 0) {
    return fmt::format("cannot listen on {}:{}: {}", options_.listen_address, options_.port, error);
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  bound_port_ = bound.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                    : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (pipe2(wake_pipe_, O_CLOEXEC) != 0) {
    close(listen_fd_);
    listen_fd_ = -1;
    return fmt::format("cannot create a pipe: {}", std::strerror(errno));
  }
  // Non-blocking: a wake-up must never block the accept loop or Stop.
  if (pipe2(monitor_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(listen_fd_);
    listen_fd_ = -1;
    close(wake_pipe_[0]);
    close(wake_pipe_[1]);
    return fmt::format("cannot create a pipe: {}", std::strerror(errno));
  }
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  monitor_thread_ = std::thread([this] { MonitorLoop(); });
  return "";
}

void PgServer::AcceptLoop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int ready = poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      ServerLog(fmt::format("poll failed: {}", std::strerror(errno)));
      return;
    }
    if (stopping_ || (fds[1].revents & POLLIN)) return;
    if (!(fds[0].revents & POLLIN)) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    if (fd < 0) {
      // Aborted handshakes and running out of descriptors must not stop the server.
      if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN) {
        ServerLog(fmt::format("accept failed: {}", std::strerror(errno)));
      }
      if (errno == EMFILE || errno == ENFILE) usleep(100 * 1000);
      continue;
    }
    int one = 1;  // answers are small messages; do not let Nagle delay them
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ReapFinished();
    AddSession(fd, PeerName(address));
  }
}

void PgServer::AddSession(int fd, std::string peer) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    int counted = 0;
    int refusing = 0;
    for (const Session& session : sessions_) {
      if (session.finished) continue;
      (session.counted ? counted : refusing)++;
    }
    bool full = counted >= options_.max_connections;
    if (full && refusing >= kMaxRefusingSessions) {
      ServerLog(fmt::format("{}: {}", peer, kTooManyClients));
      RefuseAtOnce(fd, kTooManyConnectionsCode, kTooManyClients);
      close(fd);
      return;
    }
    if (full) {
      // Nor a client that reads nothing (its session reads with a short timeout).
      timeval timeout{kRefusingTimeoutSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    }
    Session& session = sessions_.emplace_back();
    session.fd = fd;
    session.peer = std::move(peer);
    session.counted = !full;
    session.process_id = next_process_id_++;
    try {
      session.secret_key = RandomKey();
      session.thread = std::thread([this, &session] { Serve(&session); });
    } catch (const std::exception& e) {
      ServerLog(fmt::format("{}: cannot start a session thread: {}", session.peer, e.what()));
      close(fd);
      sessions_.pop_back();
      return;
    }
  }
  WakeMonitor();
}

void PgServer::Serve(Session* session) {
  PgSessionOptions options;
  std::string peer;
  int fd = -1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    peer = session->peer;
    fd = session->fd;
    options.process_id = session->process_id;
    options.secret_key = session->secret_key;
    if (!session->counted) {
      options.reject_code = kTooManyConnectionsCode;
      options.reject_message = kTooManyClients;
      // A client that sends nothing must not hold a refusing slot for long.
      options.startup_timeout_seconds = kRefusingTimeoutSeconds;
    }
  }
  options.max_message_length = options_.max_message_length;
  options.http_port = http_port_.load();
  options.tls = options_.tls;
  options.users = options_.users;
  options.cancel_request = [this](int32_t process_id, int32_t secret_key) {
    CancelRequest(process_id, secret_key);
  };
  try {
    PgSession pg_session(db_, fd, peer, std::move(options));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      session->connection = &pg_session.connection();
    }
    // Unregisters the Connection before it is destroyed, even on an exception.
    struct Unregister {
      PgServer* server;
      Session* session;
      ~Unregister() {
        std::lock_guard<std::mutex> lock(server->mutex_);
        session->connection = nullptr;
      }
    } unregister{this, session};
    pg_session.Run();
  } catch (const std::exception& e) {
    // Nothing a client sends may take the server down; drop this client only.
    ServerLog(fmt::format("{}: session failed: {}", peer, e.what()));
  }
  ServerLog(fmt::format("{}: disconnected", peer));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The monitor's poll() holds a reference to the socket, so close() alone
    // would not end the connection while it waits: shutdown() sends the FIN
    // now, and the wake-up makes the monitor let go of the socket.
    shutdown(session->fd, SHUT_RDWR);
    close(session->fd);
    session->fd = -1;
    session->finished = true;
  }
  WakeMonitor();
}

void PgServer::CancelRequest(int32_t process_id, int32_t secret_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Session& session : sessions_) {
    if (session.finished || session.process_id != process_id) continue;
    // Compared in constant time, so the key cannot be guessed byte by byte.
    if (CRYPTO_memcmp(&session.secret_key, &secret_key, sizeof(secret_key)) != 0) break;
    if (session.connection == nullptr) return;
    ServerLog(fmt::format("{}: cancel request: {}", session.peer,
                          session.connection->Executing() ? "cancelling the running statement"
                                                          : "no statement running"));
    session.connection->Cancel();
    return;
  }
  // As PostgreSQL: the requester learns nothing; the log notes it.
  ServerLog(fmt::format("cancel request for process {} ignored: no such session or wrong key",
                        process_id));
}

void PgServer::WakeMonitor() {
  char byte = 0;
  if (write(monitor_pipe_[1], &byte, 1) < 0) {
    // The pipe is full, so the monitor has wake-ups pending already.
  }
}

void PgServer::MonitorLoop() {
  std::vector<pollfd> fds;
  std::vector<int32_t> process_ids;  // of fds[1...]
  while (!stopping_) {
    fds.assign(1, pollfd{monitor_pipe_[0], POLLIN, 0});
    process_ids.clear();
    bool any_gone = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (Session& session : sessions_) {
        if (session.finished || session.fd < 0) continue;
        if (session.client_gone) {
          // Again and again until the session ends: a statement that began
          // after the hang-up was seen is cancelled too.
          any_gone = true;
          if (session.connection != nullptr) session.connection->Cancel();
          continue;
        }
        fds.push_back(pollfd{session.fd, POLLRDHUP, 0});
        process_ids.push_back(session.process_id);
      }
    }
    int ready = poll(fds.data(), fds.size(), any_gone ? kGoneRecheckMillis : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      ServerLog(fmt::format("monitor poll failed: {}", std::strerror(errno)));
      return;
    }
    if (stopping_) return;
    if (fds[0].revents & POLLIN) {
      char buffer[64];
      if (read(monitor_pipe_[0], buffer, sizeof(buffer)) < 0) {
        // Nothing to drain after all.
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR))) continue;
      for (Session& session : sessions_) {
        // The same session, and its socket not closed (and reused) since the snapshot.
        if (session.process_id != process_ids[i - 1]) continue;
        if (session.finished || session.fd != fds[i].fd) break;
        session.client_gone = true;
        if (session.connection != nullptr && session.connection->Executing()) {
          ServerLog(fmt::format("{}: client disconnected, cancelling its statement", session.peer));
          session.connection->Cancel();
        }
        break;
      }
    }
  }
}

void PgServer::ReapFinished() {
  std::list<Session> finished;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto next = std::next(it);
      if (it->finished) finished.splice(finished.end(), sessions_, it);
      it = next;
    }
  }
  for (Session& session : finished) session.thread.join();
}

void PgServer::Stop() {
  if (listen_fd_ < 0 || stopping_.exchange(true)) return;
  char byte = 0;
  if (write(wake_pipe_[1], &byte, 1) < 0) {
    // The accept loop also checks stopping_ after every wake-up; nothing else to do.
  }
  accept_thread_.join();
  WakeMonitor();
  monitor_thread_.join();
  close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (Session& session : sessions_) {
      // A running statement stops with 57014 rather than delaying the stop.
      if (session.connection != nullptr) session.connection->Cancel();
      // Wakes each session's blocking read; the session then closes its socket.
      if (session.fd >= 0) shutdown(session.fd, SHUT_RDWR);
    }
  }
  for (Session& session : sessions_) session.thread.join();
  sessions_.clear();
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
  close(monitor_pipe_[0]);
  close(monitor_pipe_[1]);
}

}  // namespace basalt
