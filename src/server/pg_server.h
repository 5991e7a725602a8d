// The PostgreSQL wire-protocol server: listens on one address and runs each
// client as a PgSession on its own thread, against one shared Database.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "main/database.h"

namespace basalt {

struct PgServerOptions {
  std::string listen_address = "127.0.0.1";
  int port = 5433;  // 0 = any free port (see PgServer::port)
  uint32_t max_message_length = 64u << 20;
};

// Start once, Stop once (the destructor stops too). Start and Stop are called
// from one controlling thread; sessions run on threads of their own.
//
// Locking: mutex_ guards sessions_ and every Session::fd. A session thread
// closes its socket under mutex_, so Stop never shuts down a descriptor number
// that has since been reused.
class PgServer {
 public:
  PgServer(Database& db, PgServerOptions options);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Binds, listens and starts accepting. Returns an error message, or "" on success.
  std::string Start();
  // Stops accepting, ends every session (their sockets are shut down) and
  // waits for the session threads. A statement that is running finishes first.
  void Stop();

  // The port actually bound, once started.
  int port() const { return bound_port_; }

 private:
  struct Session {
    std::thread thread;
    int fd = -1;
    std::atomic<bool> finished{false};
  };

  void AcceptLoop();
  void Serve(Session* session, std::string peer, int32_t process_id);
  // Joins the threads of sessions that have ended. Caller holds no lock.
  void ReapFinished();

  Database& db_;
  PgServerOptions options_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written by Stop to wake the accept loop
  int bound_port_ = 0;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  int32_t next_process_id_ = 1;  // only the accept thread touches it

  std::mutex mutex_;
  std::list<Session> sessions_;
};

}  // namespace basalt
