// HTTPS: a self-signed certificate made here with the OpenSSL API; modern protocol and cipher
// settings (TLS 1.2+, ECDHE + AEAD), HSTS on every response, clear start-up failures.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/temp_dir_test_util.h"
#include "http/server.h"
#include "http/server_testing.h"

namespace hb::http {
namespace {

using namespace hb::http::testing;  // NOLINT
namespace fs = std::filesystem;
namespace ssl = asio::ssl;

constexpr const char* kHsts = "max-age=31536000; includeSubDomains";

// A P-256 key and a self-signed certificate for localhost / 127.0.0.1, as PEM files.
struct CertFiles {
  hb::testing::TempDir tmp{"hb-tls-test"};
  fs::path dir = tmp.path(), cert, key, other_key;

  CertFiles() {
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    other_key = dir / "other_key.pem";
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    EVP_PKEY* other = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(x, pkey, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    f = std::fopen(other_key.c_str(), "w");
    PEM_write_PrivateKey(f, other, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pkey);
    EVP_PKEY_free(other);
  }
};

class HttpTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certs_ = new CertFiles(); }
  static void TearDownTestSuite() { delete certs_; }

  static ServerOptions TlsOptions() {
    ServerOptions o;
    o.tls_cert_file = certs_->cert.string();
    o.tls_key_file = certs_->key.string();
    return o;
  }
  // A client context that trusts only the test certificate.
  static std::unique_ptr<ssl::context> ClientContext() {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    ctx->load_verify_file(certs_->cert.string());
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
  }
  static std::string Refusal(ssl::context& ctx, uint16_t port) {
    TlsClient client(port, ctx);
    beast::error_code ec = client.Handshake("localhost");
    return ec ? ec.message() : "";
  }

  static CertFiles* certs_;
};
CertFiles* HttpTlsTest::certs_ = nullptr;

// 1.5 MB in pieces of 100,000 bytes (larger than a TLS record).
class Pieces : public BodySource {
 public:
  static constexpr size_t kSize = 1500000;
  uint64_t Size() const override { return kSize; }
  bool Next(std::string& out) override {
    out.assign(std::min<size_t>(100000, kSize - sent_), 'p');
    sent_ += out.size();
    return true;
  }

 private:
  size_t sent_ = 0;
};

TEST_F(HttpTlsTest, HttpsWorksOverTls13WithHstsOnEveryResponse) {
  TestServer server(
      [](Request&& request, Responder respond) {
        if (request.path == "/big") return respond(Text(std::string(1 << 20, 'x')));
        if (request.path == "/pieces") {  // a body read piece by piece (a download)
          Response r;
          r.body_source = std::make_shared<Pieces>();
          return respond(std::move(r));
        }
        if (request.path == "/missing") return respond(Text("no", 404));
        respond(Text("hello " + std::to_string(request.body.size())));
      },
      TlsOptions());
  auto ctx = ClientContext();
  TlsClient client(server.port(), *ctx);
  ASSERT_FALSE(client.Handshake("localhost"));
  EXPECT_EQ(SSL_version(client.stream().native_handle()), TLS1_3_VERSION);
  BeastResponse r = client.Send(bhttp::verb::get, "/");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "hello 0");
  EXPECT_EQ(r[bhttp::field::strict_transport_security], kHsts);
  // Keep-alive, a large response, an upload, an error: all over the same TLS connection.
  EXPECT_EQ(client.Send(bhttp::verb::get, "/big").body().size(), 1u << 20);
  BeastResponse pieces = client.Send(bhttp::verb::get, "/pieces");
  EXPECT_EQ(pieces.body().size(), Pieces::kSize);
  EXPECT_EQ(pieces.body().find_first_not_of('p'), std::string::npos);
  EXPECT_EQ(client.Send(bhttp::verb::post, "/up", std::string(300000, 'u')).body(), "hello 300000");
  BeastResponse missing = client.Send(bhttp::verb::get, "/missing");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[bhttp::field::strict_transport_security], kHsts);
  // A transport error the server answers itself carries it too.
  client.WriteRaw("GARBAGE\r\n\r\n");
  BeastResponse bad = client.Read();
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(bad[bhttp::field::strict_transport_security], kHsts);
}

TEST_F(HttpTlsTest, Tls12OnlyWithEcdheAndAead) {
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, TlsOptions());
  auto tls12 = ClientContext();
  SSL_CTX_set_max_proto_version(tls12->native_handle(), TLS1_2_VERSION);
  {
    TlsClient client(server.port(), *tls12);
    ASSERT_FALSE(client.Handshake("localhost"));
    EXPECT_EQ(SSL_version(client.stream().native_handle()), TLS1_2_VERSION);
    std::string cipher = SSL_get_cipher_name(client.stream().native_handle());
    EXPECT_EQ(cipher.rfind("ECDHE-", 0), 0u) << cipher;
    EXPECT_EQ(client.Send(bhttp::verb::get, "/").body(), "ok");
  }
  // A TLS 1.2 client that offers only CBC suites (no AEAD) finds no common cipher.
  auto cbc = ClientContext();
  SSL_CTX_set_max_proto_version(cbc->native_handle(), TLS1_2_VERSION);
  ASSERT_EQ(SSL_CTX_set_cipher_list(cbc->native_handle(),
                                    "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA256"),
            1);
  EXPECT_NE(Refusal(*cbc, server.port()), "");
}

TEST_F(HttpTlsTest, Tls11AndPlainHttpAreRefused) {
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, TlsOptions());
  auto old = ClientContext();
  SSL_CTX_set_min_proto_version(old->native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old->native_handle(), TLS1_1_VERSION);
  SSL_CTX_set_cipher_list(old->native_handle(), "DEFAULT:@SECLEVEL=0");  // let the client try
  std::string refusal = Refusal(*old, server.port());
  EXPECT_NE(refusal, "");
  EXPECT_NE(refusal.find("protocol version"), std::string::npos) << refusal;

  Client plain(server.port());  // HTTP on the HTTPS port gets no HTTP answer
  plain.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_ANY_THROW(plain.Read());
}

TEST_F(HttpTlsTest, SlowHeaderOverTlsGets408AndSilentHandshakesAreClosed) {
  ServerOptions options = TlsOptions();
  options.header_timeout = 1s;
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); }, options);
  auto ctx = ClientContext();
  TlsClient slow(server.port(), *ctx);
  ASSERT_FALSE(slow.Handshake("localhost"));
  slow.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a");  // and nothing more
  BeastResponse r = slow.Read();  // the server answers while its read is still pending
  EXPECT_EQ(r.result_int(), 408);
  EXPECT_EQ(r[bhttp::field::strict_transport_security], kHsts);

  Client silent(server.port());  // connects, never starts the handshake
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(HttpTlsTest, PlainHttpHasNoHsts) {
  TestServer server([](Request&&, Responder respond) { respond(Text("ok")); });
  Client client(server.port());
  BeastResponse r = client.Send(bhttp::verb::get, "/");
  EXPECT_EQ(r[bhttp::field::strict_transport_security], "");
}

TEST_F(HttpTlsTest, BadCertificateOrKeyStopsTheStartWithAClearMessage) {
  fs::path garbage = certs_->dir / "garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  struct Case {
    fs::path cert, key;
    std::string message;
  };
  std::vector<Case> cases = {
      {certs_->dir / "absent.pem", certs_->key,
       "cannot read the TLS certificate '" + (certs_->dir / "absent.pem").string() +
           "': No such file or directory"},
      {certs_->cert, certs_->dir / "absent.pem",
       "cannot read the TLS private key '" + (certs_->dir / "absent.pem").string() +
           "': No such file or directory"},
      {garbage, certs_->key, "cannot load the TLS certificate '" + garbage.string() + "': "},
      {certs_->cert, garbage, "cannot load the TLS private key '" + garbage.string() + "': "},
      {certs_->key, certs_->key, "cannot load the TLS certificate"},
      {certs_->cert, certs_->other_key, "does not match the certificate"},
      {certs_->cert, "", "TLS needs both a certificate"},
      {"", certs_->key, "TLS needs both a certificate"},
  };
  for (const Case& c : cases) {
    ServerOptions o;
    o.port = 0;
    o.tls_cert_file = c.cert.string();
    o.tls_key_file = c.key.string();
    Server server(o, [](Request&&, Responder respond) { respond(Text("ok")); });
    Status st = server.Start();
    ASSERT_FALSE(st.ok()) << c.message;
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(st.message().find(c.message), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace hb::http
