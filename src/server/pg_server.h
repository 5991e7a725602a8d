// The PostgreSQL wire-protocol server: listens on one address and runs each
// client as a PgSession on its own thread, against one shared Database.
// It also serves CancelRequests (a registry of process id and secret key per
// session), turns away clients beyond max_connections with 53300, and
// cancels the statement of a client that disconnects while it runs.
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

class TlsContext;
class UserTable;

struct PgServerOptions {
  std::string listen_address = "127.0.0.1";
  int port = 5433;  // 0 = any free port (see PgServer::port)
  uint32_t max_message_length = 64u << 20;
  // Clients served at once; the next ones get FATAL 53300 "sorry, too many
  // clients already" (PostgreSQL's max_connections default is 100; ours 200).
  int max_connections = 200;
  // TLS for clients that ask (SSLRequest); null refuses it. Not owned; must
  // outlive the server.
  const TlsContext* tls = nullptr;
  // SCRAM-SHA-256 users; null trusts every user. Not owned; must outlive the server.
  const UserTable* users = nullptr;
};

// Start once, Stop once (the destructor stops too). Start and Stop are called
// from one controlling thread; sessions run on threads of their own, and a
// monitor thread watches their sockets for clients that hang up.
//
// Locking: mutex_ guards sessions_ and every field of Session but `thread`
// (the accept thread's and Stop's) and `finished` (atomic). A session thread
// closes its socket under mutex_, so nothing polls or shuts down a descriptor
// number that has since been reused; it registers its Connection under
// mutex_ and unregisters it before the Connection is destroyed, so a cancel
// (Connection::Cancel, which takes the connection's own lock) runs under
// mutex_. Lock order: mutex_, then the connection's.
class PgServer {
 public:
  PgServer(Database& db, PgServerOptions options);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Binds, listens and starts accepting. Returns an error message, or "" on success.
  std::string Start();
  // Stops accepting, cancels running statements, ends every session (their
  // sockets are shut down) and waits for the session threads.
  void Stop();

  // The port actually bound, once started.
  int port() const { return bound_port_; }
  // The node's HTTP port (docs/http_api.md), which sessions report to their
  // clients at startup as ParameterStatus basalt_http_port, so the basalt
  // shell can follow its statements' progress; 0: none.
  void set_http_port(int port) { http_port_ = port; }

 private:
  struct Session {
    std::thread thread;
    std::atomic<bool> finished{false};
    int fd = -1;
    int32_t process_id = 0;
    int32_t secret_key = 0;
    // False for a client being turned away (beyond max_connections).
    bool counted = true;
    // The session's Connection while its PgSession exists.
    Connection* connection = nullptr;
    // The monitor saw the client hang up; its statements are cancelled.
    bool client_gone = false;
    std::string peer;
  };

  void AcceptLoop();
  // Starts a session thread for an accepted socket, or turns the client away.
  void AddSession(int fd, std::string peer);
  void Serve(Session* session);
  // Joins the threads of sessions that have ended. Caller holds no lock.
  void ReapFinished();
  // A CancelRequest: cancels the statement of the session with this process
  // id if the key matches; otherwise nothing (and the client is not told).
  void CancelRequest(int32_t process_id, int32_t secret_key);
  // Watches the sockets of sessions for hang-ups (POLLRDHUP) and cancels the
  // statement of a session whose client has gone.
  void MonitorLoop();
  void WakeMonitor();

  Database& db_;
  PgServerOptions options_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};     // written by Stop to wake the accept loop
  int monitor_pipe_[2] = {-1, -1};  // wakes the monitor: a new session, or Stop
  int bound_port_ = 0;
  std::thread accept_thread_;
  std::thread monitor_thread_;
  std::atomic<bool> stopping_{false};
  int32_t next_process_id_ = 1;
  std::atomic<int> http_port_{0};  // only the accept thread touches it

  std::mutex mutex_;
  std::list<Session> sessions_;
};

}  // namespace basalt
