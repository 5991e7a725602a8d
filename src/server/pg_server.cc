#include "server/pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <random>
#include <vector>

#include "server/pg_session.h"
#include "server/server_log.h"

namespace basalt {

namespace {

constexpr int kListenBacklog = 128;

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
  accept_thread_ = std::thread([this] { AcceptLoop(); });
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
    std::string peer = PeerName(address);
    int32_t process_id = next_process_id_++;
    std::lock_guard<std::mutex> lock(mutex_);
    Session& session = sessions_.emplace_back();
    session.fd = fd;
    try {
      session.thread =
          std::thread([this, &session, peer, process_id] { Serve(&session, peer, process_id); });
    } catch (const std::system_error& e) {
      ServerLog(fmt::format("{}: cannot start a session thread: {}", peer, e.what()));
      close(fd);
      sessions_.pop_back();
    }
  }
}

void PgServer::Serve(Session* session, std::string peer, int32_t process_id) {
  PgSessionOptions options;
  options.max_message_length = options_.max_message_length;
  options.process_id = process_id;
  options.secret_key = static_cast<int32_t>(std::random_device{}());
  try {
    PgSession pg_session(db_, session->fd, peer, options);
    pg_session.Run();
  } catch (const std::exception& e) {
    // Nothing a client sends may take the server down; drop this client only.
    ServerLog(fmt::format("{}: session failed: {}", peer, e.what()));
  }
  ServerLog(fmt::format("{}: disconnected", peer));
  std::lock_guard<std::mutex> lock(mutex_);
  close(session->fd);
  session->fd = -1;
  session->finished = true;
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
  close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Wakes each session's blocking recv; the session then closes its socket.
    for (Session& session : sessions_) {
      if (session.fd >= 0) shutdown(session.fd, SHUT_RDWR);
    }
  }
  for (Session& session : sessions_) session.thread.join();
  sessions_.clear();
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

}  // namespace basalt
