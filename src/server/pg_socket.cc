#include "server/pg_socket.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace basalt {

namespace {

// The newest error on this thread's OpenSSL error queue, or `fallback`.
std::string OpenSslError(const char* fallback) {
  unsigned long code = ERR_peek_last_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return text;
}

// Describes why an SSL_* call returned `result` <= 0.
std::string TlsCallError(SSL* ssl, int result, const char* operation) {
  int saved_errno = errno;
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_ZERO_RETURN:
      return fmt::format("{}: the client closed the TLS connection", operation);
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_last_error() != 0) return fmt::format("{}: {}", operation, OpenSslError(""));
      return fmt::format("{}: {}", operation,
                         saved_errno == 0 ? "unexpected end of file" : std::strerror(saved_errno));
    default:
      return fmt::format("{}: {}", operation, OpenSslError("TLS error"));
  }
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::Create(const std::string& cert_file,
                                               const std::string& key_file, std::string* error) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = fmt::format("cannot create a TLS context: {}", OpenSslError("unknown error"));
    return nullptr;
  }
  std::unique_ptr<TlsContext> context(new TlsContext(ctx));
  // As PostgreSQL's default ssl_min_protocol_version.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A client that drops the connection without close_notify is an ordinary
  // disconnect, not an error; renegotiation is refused as PostgreSQL does.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    *error = fmt::format("cannot load TLS certificate \"{}\": {}", cert_file,
                         OpenSslError("unknown error"));
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = fmt::format("cannot load TLS private key \"{}\": {}", key_file,
                         OpenSslError("unknown error"));
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    *error = fmt::format("TLS private key \"{}\" does not match certificate \"{}\": {}", key_file,
                         cert_file, OpenSslError("unknown error"));
    return nullptr;
  }
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

PgSocket::~PgSocket() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

bool PgSocket::StartTls(const TlsContext& context, std::string* error) {
  ERR_clear_error();
  ssl_ = SSL_new(context.get());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    *error = fmt::format("cannot start TLS: {}", OpenSslError("unknown error"));
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = nullptr;
    return false;
  }
  while (true) {
    errno = 0;
    int result = SSL_accept(ssl_);
    if (result != 1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      *error = "TLS handshake failed: timed out";
      failed_ = true;
      return false;
    }
    if (result == 1) return true;
    if (SSL_get_error(ssl_, result) == SSL_ERROR_SYSCALL && errno == EINTR) continue;
    *error = TlsCallError(ssl_, result, "TLS handshake failed");
    failed_ = true;
    return false;
  }
}

std::string PgSocket::TlsDescription() const {
  if (ssl_ == nullptr) return "";
  return fmt::format("{} {}", SSL_get_version(ssl_), SSL_get_cipher_name(ssl_));
}

void PgSocket::SetReceiveTimeout(int seconds) {
  timeval timeout{seconds, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
}

ssize_t PgSocket::Read(char* buffer, size_t size) {
  if (ssl_ == nullptr) {
    while (true) {
      ssize_t n = recv(fd_, buffer, size, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error_ = errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : std::strerror(errno);
      }
      return n;
    }
  }
  if (failed_) {
    error_ = "the TLS connection failed earlier";
    return -1;
  }
  while (true) {
    ERR_clear_error();
    errno = 0;
    int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<size_t>(size, 1 << 30)));
    if (n > 0) return n;
    int code = SSL_get_error(ssl_, n);
    if (code == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify
    if (code == SSL_ERROR_SYSCALL && errno == EINTR) continue;
    if (code == SSL_ERROR_SYSCALL && errno == 0 && ERR_peek_last_error() == 0) {
      failed_ = true;  // plain end of file (SSL_OP_IGNORE_UNEXPECTED_EOF)
      return 0;
    }
    if (code == SSL_ERROR_WANT_READ || errno == EAGAIN || errno == EWOULDBLOCK) {
      error_ = "timed out";  // SetReceiveTimeout
      failed_ = true;
      return -1;
    }
    error_ = TlsCallError(ssl_, n, "TLS read failed");
    failed_ = true;
    return -1;
  }
}

bool PgSocket::Write(std::string_view data) {
  size_t sent = 0;
  while (sent < data.size()) {
    if (ssl_ == nullptr) {
      // MSG_NOSIGNAL: a client that went away must not raise SIGPIPE.
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? std::strerror(errno) : "connection closed";
        return false;
      }
      sent += static_cast<size_t>(n);
      continue;
    }
    if (failed_) {
      error_ = "the TLS connection failed earlier";
      return false;
    }
    ERR_clear_error();
    errno = 0;
    int chunk = static_cast<int>(std::min<size_t>(data.size() - sent, 1 << 30));
    int n = SSL_write(ssl_, data.data() + sent, chunk);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (SSL_get_error(ssl_, n) == SSL_ERROR_SYSCALL && errno == EINTR) continue;
    error_ = TlsCallError(ssl_, n, "TLS write failed");
    failed_ = true;
    return false;
  }
  return true;
}

void PgSocket::Shutdown() {
  if (ssl_ == nullptr || failed_) return;
  ERR_clear_error();
  // One call sends close_notify; the client's answer is not awaited.
  SSL_shutdown(ssl_);
  ERR_clear_error();
  failed_ = true;
}

}  // namespace basalt
