#include "server/scram.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace basalt {
namespace {

// RFC 7677, section 3: user "user", password "pencil".
constexpr const char* kSalt = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr const char* kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr const char* kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr const char* kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr const char* kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr const char* kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramVerifier PencilVerifier() {
  std::string salt;
  EXPECT_TRUE(Base64Decode(kSalt, &salt));
  return MakeScramVerifier("pencil", salt, 4096);
}

TEST(ScramTest, Rfc7677Exchange) {
  ScramServer server(PencilVerifier(), kServerNonce);
  std::string out;
  std::string error;
  ASSERT_EQ(server.HandleClientFirst(kClientFirst, &out, &error), ScramServer::Status::kOk)
      << error;
  EXPECT_EQ(out, kServerFirst);
  ASSERT_EQ(server.HandleClientFinal(kClientFinal, &out, &error), ScramServer::Status::kOk)
      << error;
  EXPECT_EQ(out, kServerFinal);
}

TEST(ScramTest, VerifierTextRoundTrips) {
  ScramVerifier verifier = PencilVerifier();
  std::string text = FormatScramVerifier(verifier);
  EXPECT_TRUE(text.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")) << text;
  ScramVerifier parsed;
  std::string error;
  ASSERT_TRUE(ParseScramVerifier(text, &parsed, &error)) << error;
  EXPECT_EQ(parsed.iterations, 4096);
  EXPECT_EQ(parsed.salt, verifier.salt);
  EXPECT_EQ(parsed.stored_key, verifier.stored_key);
  EXPECT_EQ(parsed.server_key, verifier.server_key);
  // A parsed verifier serves the exchange as well as one made from the password.
  ScramServer server(parsed, kServerNonce);
  std::string out;
  ASSERT_EQ(server.HandleClientFirst(kClientFirst, &out, &error), ScramServer::Status::kOk);
  ASSERT_EQ(server.HandleClientFinal(kClientFinal, &out, &error), ScramServer::Status::kOk);
  EXPECT_EQ(out, kServerFinal);
}

TEST(ScramTest, MalformedVerifiersAreRejected) {
  std::string key = Base64Encode(std::string(32, 'k'));
  ScramVerifier out;
  std::string error;
  for (const std::string& text :
       {std::string("md5abc"), std::string("SCRAM-SHA-256$"),
        "SCRAM-SHA-256$0:" + std::string(kSalt) + "$" + key + ":" + key,
        "SCRAM-SHA-256$x:" + std::string(kSalt) + "$" + key + ":" + key,
        "SCRAM-SHA-256$4096:" + std::string(kSalt) + "$" + key,
        "SCRAM-SHA-256$4096:" + std::string(kSalt) + "$" + key + ":abc",
        "SCRAM-SHA-256$4096:!!$" + key + ":" + key, "SCRAM-SHA-256$4096:$" + key + ":" + key}) {
    EXPECT_FALSE(ParseScramVerifier(text, &out, &error)) << text;
    EXPECT_NE(error.find("invalid SCRAM-SHA-256 verifier"), std::string::npos);
  }
}

TEST(ScramTest, WrongPasswordFails) {
  std::string salt;
  ASSERT_TRUE(Base64Decode(kSalt, &salt));
  ScramServer server(MakeScramVerifier("pencil2", salt, 4096), kServerNonce);
  std::string out;
  std::string error;
  ASSERT_EQ(server.HandleClientFirst(kClientFirst, &out, &error), ScramServer::Status::kOk);
  EXPECT_EQ(server.HandleClientFinal(kClientFinal, &out, &error), ScramServer::Status::kFailed);
}

TEST(ScramTest, MockVerifierIsStablePerUserAndMatchesNoProof) {
  ScramVerifier a = MockScramVerifier("alice", "secret");
  ScramVerifier b = MockScramVerifier("alice", "secret");
  ScramVerifier c = MockScramVerifier("bob", "secret");
  EXPECT_EQ(a.salt, b.salt);
  EXPECT_NE(a.salt, c.salt);
  EXPECT_EQ(a.salt.size(), kScramSaltLength);
  ScramServer server(a, kServerNonce);
  std::string out;
  std::string error;
  ASSERT_EQ(server.HandleClientFirst(kClientFirst, &out, &error), ScramServer::Status::kOk);
  EXPECT_EQ(server.HandleClientFinal(kClientFinal, &out, &error), ScramServer::Status::kFailed);
}

TEST(ScramTest, ProtocolErrors) {
  auto first = [](std::string_view message) {
    ScramServer server(PencilVerifier(), kServerNonce);
    std::string out;
    std::string error;
    ScramServer::Status status = server.HandleClientFirst(message, &out, &error);
    if (status != ScramServer::Status::kOk) {
      EXPECT_FALSE(error.empty());
    }
    return status;
  };
  using Status = ScramServer::Status;
  EXPECT_EQ(first("p=tls-server-end-point,,n=,r=abc"), Status::kProtocolError);
  EXPECT_EQ(first("n,a=admin,n=,r=abc"), Status::kProtocolError);
  EXPECT_EQ(first("n,,m=ext,n=,r=abc"), Status::kProtocolError);
  EXPECT_EQ(first("x,,n=,r=abc"), Status::kProtocolError);
  EXPECT_EQ(first("n,,n=,r="), Status::kProtocolError);
  EXPECT_EQ(first("n,,r=abc"), Status::kProtocolError);
  EXPECT_EQ(first("n,"), Status::kProtocolError);
  EXPECT_EQ(first(""), Status::kProtocolError);
  EXPECT_EQ(first("y,,n=,r=abc"), Status::kOk);  // client could bind; the server does not offer it
  EXPECT_EQ(first("n,,n=,r=abc,x=ext"), Status::kOk);

  auto final_status = [](std::string_view message) {
    ScramServer server(PencilVerifier(), kServerNonce);
    std::string out;
    std::string error;
    EXPECT_EQ(server.HandleClientFirst(kClientFirst, &out, &error), Status::kOk);
    return server.HandleClientFinal(message, &out, &error);
  };
  std::string nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  std::string proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  EXPECT_EQ(final_status("c=eSws," + nonce + "," + proof), Status::kProtocolError);  // "y,,"
  EXPECT_EQ(final_status("c=biws,r=rOprNGfwEbeRWgbNEkqO," + proof), Status::kProtocolError);
  EXPECT_EQ(final_status("c=biws," + nonce + ",p=AAAA"), Status::kProtocolError);
  EXPECT_EQ(final_status("c=biws," + nonce), Status::kProtocolError);
  EXPECT_EQ(final_status(""), Status::kProtocolError);
  EXPECT_EQ(final_status("c=biws," + nonce + ",x=ext," + proof), Status::kFailed);

  // Messages out of order.
  ScramServer server(PencilVerifier(), kServerNonce);
  std::string out;
  std::string error;
  EXPECT_EQ(server.HandleClientFinal(kClientFinal, &out, &error), Status::kProtocolError);
}

// Whatever a client sends, the exchange ends in one of its statuses; it
// never reads out of bounds or throws (run under ASAN with BASALT_SANITIZE).
TEST(ScramTest, MutatedMessagesNeverCrash) {
  std::mt19937 random(7677);
  auto mutate = [&](std::string message) {
    int edits = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < edits; ++i) {
      size_t at = message.empty() ? 0 : random() % message.size();
      switch (random() % 4) {
        case 0:
          if (!message.empty()) message[at] = static_cast<char>(random());
          break;
        case 1:
          message.insert(at, 1, ",=nrpcy"[random() % 7]);
          break;
        case 2:
          if (!message.empty()) message.erase(at, 1 + random() % 8);
          break;
        case 3:
          message.resize(at);
          break;
      }
    }
    return message;
  };
  ScramVerifier verifier = PencilVerifier();
  for (int round = 0; round < 3000; ++round) {
    ScramServer server(verifier, kServerNonce);
    std::string out;
    std::string error;
    bool mutate_first = round % 2 == 0;
    std::string first = mutate_first ? mutate(kClientFirst) : kClientFirst;
    ScramServer::Status status = server.HandleClientFirst(first, &out, &error);
    if (status != ScramServer::Status::kOk) {
      EXPECT_FALSE(error.empty()) << first;
      continue;
    }
    std::string final_message = mutate(kClientFinal);
    status = server.HandleClientFinal(final_message, &out, &error);
    if (status == ScramServer::Status::kOk) {
      // Only a proof that is still right may pass, and then with the right signature.
      EXPECT_EQ(out, kServerFinal) << first << " / " << final_message;
    }
  }
}

TEST(ScramTest, Base64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("n,,"), "biws");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode("a"), "YQ==");
  std::string out;
  ASSERT_TRUE(Base64Decode("YWI=", &out));
  EXPECT_EQ(out, "ab");
  ASSERT_TRUE(Base64Decode("YQ==", &out));
  EXPECT_EQ(out, "a");
  ASSERT_TRUE(Base64Decode("", &out));
  EXPECT_EQ(out, "");
  std::string binary("\x00\xff\x10\x80", 4);
  ASSERT_TRUE(Base64Decode(Base64Encode(binary), &out));
  EXPECT_EQ(out, binary);
  for (const char* bad : {"YWI", "Y=I=", "YW I", " YWI=", "YQ=a", "====", "Y==="}) {
    EXPECT_FALSE(Base64Decode(bad, &out)) << bad;
  }
  EXPECT_EQ(RandomBytes(18).size(), 18u);
}

}  // namespace
}  // namespace basalt
