// A client connection's byte stream, in plain text or, after an SSLRequest,
// through TLS (OpenSSL). PgSession reads and writes only through this.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace basalt {

// The server's certificate and key, loaded once and shared by every TLS
// session. Thread safe after Create (OpenSSL's SSL_CTX is, once configured).
class TlsContext {
 public:
  // Loads a PEM certificate (chain) and its private key. Returns null and
  // sets `error` when they cannot be read or do not match.
  static std::unique_ptr<TlsContext> Create(const std::string& cert_file,
                                            const std::string& key_file, std::string* error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// Blocking reads and writes on one connected socket. Does not own the
// descriptor: the server closes it (and may shutdown() it from another
// thread, which makes a blocked Read return). Otherwise one thread only.
// Plain writes use MSG_NOSIGNAL; OpenSSL writes with write(), so a process
// serving TLS must ignore SIGPIPE (`basalt server` does).
class PgSocket {
 public:
  explicit PgSocket(int fd) : fd_(fd) {}
  ~PgSocket();
  PgSocket(const PgSocket&) = delete;
  PgSocket& operator=(const PgSocket&) = delete;

  // Runs the server side of the TLS handshake; from then on Read and Write
  // go through TLS. False (and `error`) when the handshake fails.
  bool StartTls(const TlsContext& context, std::string* error);
  bool tls() const { return ssl_ != nullptr; }
  // "TLSv1.3 TLS_AES_256_GCM_SHA384", for the log; "" in plain text.
  std::string TlsDescription() const;

  // Up to `size` bytes: > 0 read, 0 the peer closed the connection, -1 an
  // error (described by error()).
  ssize_t Read(char* buffer, size_t size);
  // All of `data`; false (see error()) when the connection failed.
  bool Write(std::string_view data);
  // Makes a Read that waits longer than this fail ("timed out"); 0 = wait forever.
  void SetReceiveTimeout(int seconds);
  // Sends TLS close_notify, if in TLS and the connection still works. The
  // descriptor stays open.
  void Shutdown();

  const std::string& error() const { return error_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  bool failed_ = false;  // no more TLS records may be sent (after a fatal error)
  std::string error_;
};

}  // namespace basalt
