// `ipcbench serve` against hostile clients, live on loopback: malformed requests of every kind, a
// backlog of unread replies, strangers on a run's data port, clients that leave mid-benchmark,
// wrong keys and floods of connections. The server must answer or drop each, and stay up.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <cstring>

#include "live_server.hpp"
#include "os/inet.hpp"

namespace ipcbench::testing_serve {
namespace {

// Under ASan freed memory sits in quarantine, and under TSan in shadow memory: the server's
// resident size says nothing there about what it holds, so the memory bounds are checked in plain
// builds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kMemoryMeasurable = false;
#else
constexpr bool kMemoryMeasurable = true;
#endif

struct Hostile {
  std::string body;
  std::string expected;  // in the error reply
};

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

nlohmann::json run_request(nlohmann::json work) { return {{"type", "run"}, {"work", work}}; }

nlohmann::json good_work(const std::string& mechanism, const std::string& workload,
                         std::uint64_t measured) {
  return {{"mechanism", mechanism}, {"workload", workload}, {"size", 64}, {"warmup", 0},
          {"measured", measured},   {"pin", "none"}};
}

std::string envelope(const std::string& fields) { return R"({"version":2,"id":7,)" + fields + "}"; }

void expect_refused(RawClient& c, const Hostile& h) {
  c.send_body(h.body);
  const auto reply = c.reply();
  ASSERT_TRUE(reply) << "no reply to " << h.body.substr(0, 80);
  ASSERT_TRUE(reply->is_object());
  EXPECT_EQ(reply->value("ok", true), false) << h.body.substr(0, 80);
  EXPECT_NE(reply->value("error", "").find(h.expected), std::string::npos)
      << h.body.substr(0, 80) << " -> " << reply->dump();
  EXPECT_TRUE(reply->contains("id"));
}

TEST(ServeHostile, EveryMalformedRequestGetsAnErrorNamingTheFieldAndTheServerStaysUp) {
  LiveServer server;
  RawClient c(server.endpoint());
  const std::vector<Hostile> before_hello = {
      {"not json {", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {"\"hello\"", "not a JSON object"},
      {"null", "not a JSON object"},
      {nested(5000), "not a JSON object"},
      {R"({"version":2,"type":"hello"})", "missing 'id'"},
      {R"({"version":2,"id":"1","type":"hello"})", "'id' must be a non-negative integer"},
      {R"({"version":2,"id":-1,"type":"hello"})", "'id' must be a non-negative integer"},
      {R"({"version":2,"id":1.5,"type":"hello"})", "'id' must be a non-negative integer"},
      {R"({"version":2,"id":{},"type":"hello"})", "'id' must be a non-negative integer"},
      {R"({"version":2,"id":18446744073709551615,"type":"hello"})", "'id' is above"},
      {R"({"version":2,"id":1e400,"type":"hello"})", "not JSON"},
      {R"({"id":1,"type":"hello"})", "missing 'version'"},
      {R"({"version":"2","id":1,"type":"hello"})", "protocol version"},
      {R"({"version":2.0,"id":1,"type":"hello"})", "protocol version"},
      {R"({"version":99999999999999999999,"id":1,"type":"hello"})", "protocol version"},
      {envelope(R"("type":5)"), "'type' must be a string"},
      {envelope(R"("type":null)"), "'type' must be a string"},
      {envelope(R"("type":["hello"])"), "'type' must be a string"},
      {envelope(R"("type":{"hello":1})"), "'type' must be a string"},
      {envelope(R"("token":5)"), "missing 'type'"},
      {envelope(R"("type":")" + std::string(5000, 'x') + "\""), "longer than"},
      {envelope(R"("type":"run")"), "say hello first"},
  };
  for (const auto& h : before_hello) expect_refused(c, h);

  ASSERT_EQ(c.ask({{"type", "hello"}}).value("ok", false), true);
  const std::vector<Hostile> after_hello = {
      {envelope(R"("type":"nonsense")"), "unknown request type"},
      {envelope(R"("type":"run")"), "missing 'work'"},
      {envelope(R"("type":"run","work":"tcp")"), "'work' must be an object"},
      {envelope(R"("type":"run","work":[1])"), "'work' must be an object"},
      {envelope(R"("type":"run","work":{"mechanism":1})"), "'mechanism' must be a string"},
      {envelope(R"("type":"run","work":{"mechanism":{"a":{"b":{}}}})"),
       "'mechanism' must be a string"},
      {envelope(R"("type":"run","work":{"mechanism":"pipe"})"), "cannot run between hosts"},
      {envelope(R"("type":"run","work":{"mechanism":"../../bin/sh"})"), "cannot run between"},
      {envelope(R"("type":"run","work":{"mechanism":"tcp"})"), "missing 'workload'"},
      {envelope(R"("type":"run","work":{"mechanism":"tcp","workload":3})"), "'workload'"},
      {envelope(R"("type":"run","work":{"mechanism":"tcp","workload":"fork"})"),
       "unknown workload"},
  };
  for (const auto& h : after_hello) expect_refused(c, h);
  struct BadValue {
    const char* field;
    nlohmann::json value;
    const char* expected;
  };
  const std::vector<BadValue> bad_values = {
      {"size", "64", "'size'"},
      {"size", -1, "'size'"},
      {"size", 1e20, "'size'"},
      {"size", 0, "out of range"},
      {"size", 1ull << 40, "out of range"},
      {"warmup", -1, "'warmup'"},
      {"warmup", true, "'warmup'"},
      {"measured", 0, "counts out of range"},
      {"measured", nullptr, "'measured'"},
      {"pin", 1, "'pin'"},
      {"pin", "everywhere", "unknown pin"},
  };
  for (const auto& [field, value, expected] : bad_values) {
    nlohmann::json work = good_work("tcp", "latency", 10);
    work[field] = value;
    expect_refused(c, {envelope(R"("type":"run","work":)" + work.dump()), expected});
  }

  // Frames that are not [empty][request] are dropped without an answer; so is an oversized one.
  c.send_frames({"", R"({"version":2,"id":1,"type":"hello"})", "extra"});
  c.send_frames({R"({"version":2,"id":1,"type":"hello"})"});
  c.send_frames({"x", R"({"version":2,"id":1,"type":"hello"})"});
  c.send_frames({"", "", ""});
  EXPECT_FALSE(c.reply(500ms));
  RawClient big(server.endpoint());
  big.send_body(std::string(64 * 1024, ' '));
  EXPECT_FALSE(big.reply(500ms));

  ASSERT_TRUE(server.alive()) << server.log();
  EXPECT_EQ(c.ask({{"type", "hello"}}).value("ok", false), true);  // the session goes on
  c.send_json({{"version", 2}, {"id", 99}, {"type", "bye"}});      // a goodbye is not answered
}

TEST(ServeHostile, ARepliesIdIsEchoedOnlyWithinJsonsExactIntegers) {
  LiveServer server;
  RawClient c(server.endpoint());
  const std::uint64_t largest = (std::uint64_t{1} << 53) - 1;
  EXPECT_EQ(c.ask({{"type", "hello"}, {"id", largest}})["id"], largest);
  const auto refused = c.ask({{"type", "hello"}, {"id", largest + 1}});
  EXPECT_TRUE(refused["id"].is_null());
}

TEST(ServeHostile, UnreadRepliesAndAFloodOfRequestsLeaveTheServerSmall) {
  LiveServer server;
  const long before = server.rss_kib();
  {
    std::vector<std::unique_ptr<RawClient>> clients;
    const std::string pad(15 * 1024, 'p');
    for (int i = 0; i < 10; ++i) {
      clients.push_back(std::make_unique<RawClient>(server.endpoint()));
      for (int k = 0; k < 2000; ++k) {
        nlohmann::json body = {{"version", 2}, {"id", (1ull << 52) + k}, {"type", pad}};
        try {
          const std::string text = body.dump();
          clients.back()->send_frames({"", text});
        } catch (const zmq::error_t&) {
          break;
        }
      }
    }
    std::this_thread::sleep_for(2s);
    const long during = server.rss_kib();
    std::printf("serve's resident memory: %ld KiB before, %ld KiB under the backlog\n", before,
                during);
    if (kMemoryMeasurable) {
      EXPECT_LT(during - before, 64 * 1024) << "KiB grown under unread replies";
    }
  }
  ASSERT_TRUE(server.alive());
  RawClient c(server.endpoint());
  EXPECT_EQ(c.ask({{"type", "hello"}}).value("ok", false), true);
}

// A tcp connection to `port` on loopback, or -1.
int connect_tcp(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = ipv4_address("127.0.0.1", port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads exactly `size` bytes from fd within 5 s.
bool read_exactly(int fd, char* into, std::size_t size) {
  for (std::size_t got = 0; got < size;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return false;
    const ssize_t n = recv(fd, into + got, size - got, 0);
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

// A ZeroMQ DEALER written by hand (ZMTP 3.0, NULL mechanism) on a raw tcp connection: a hostile
// peer needs no libzmq, and a libzmq client whose connection the server resets mid-message can
// abort on its own assertion, which would end the test instead of the server. It waits for the
// server's greeting and READY, as ZMTP asks: a frame sent before them fails the handshake
// whenever the server reads it first (2 runs in 40).
int raw_zmtp_dealer(int port) {
  const int fd = connect_tcp(port);
  if (fd < 0) return -1;
  std::string hello(64, '\0');
  hello[0] = '\xff';
  hello[9] = '\x7f';
  hello[10] = 3;  // version 3.0
  hello.replace(12, 4, "NULL");
  const std::string ready_body =
      std::string("\x05READY\x0bSocket-Type", 18) + std::string("\0\0\0\x06", 4) + "DEALER";
  hello += std::string("\x04", 1) + static_cast<char>(ready_body.size()) + ready_body;
  char greeting[64], command[2], body[255];
  const bool ready =
      send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(hello.size()) &&
      read_exactly(fd, greeting, sizeof greeting) && read_exactly(fd, command, sizeof command) &&
      command[0] == '\x04' && read_exactly(fd, body, static_cast<unsigned char>(command[1]));
  if (!ready) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `frames` one-byte frames of one message, all but the last (so it never ends), until the
// server ends the connection; true if it did.
bool flood_frames(int fd, int frames) {
  std::string batch;
  for (int i = 0; i < 20000; ++i) batch += std::string("\x01\x01x", 3);
  for (int sent = 0; sent < frames; sent += 20000) {
    if (send(fd, batch.data(), batch.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(batch.size()))
      return true;
  }
  return false;
}

TEST(ServeHostile, RequestsOfMillionsOfFramesCannotGrowTheServerWithoutBound) {
  LiveServer server({"--max-memory=64"});
  {
    std::vector<int> flooders;
    for (int c = 0; c < 2; ++c) {
      flooders.push_back(raw_zmtp_dealer(server.port()));
      ASSERT_GE(flooders.back(), 0) << server.log();
      // one message whose frames never stop arriving (up to 20 million) until the server cuts it
      EXPECT_TRUE(flood_frames(flooders.back(), 20'000'000)) << server.log();
    }
    EXPECT_TRUE(server.wait_for("passed --max-memory", 20s)) << server.log();
    for (int fd : flooders) close(fd);
  }
  ASSERT_TRUE(server.alive()) << server.log();
  const long peak = server.peak_rss_kib();
  std::printf("serve's peak resident memory under two endless floods of frames: %ld KiB\n", peak);
  if (kMemoryMeasurable) {
    EXPECT_LT(peak, 192 * 1024);
  }
  RawClient c(server.endpoint());
  c.send_json({{"version", 2}, {"id", 1}, {"type", "hello"}});
  const auto hello = c.reply(5s);
  ASSERT_TRUE(hello) << server.log();
  EXPECT_EQ(hello->value("ok", false), true);
}

// Bytes readable from fd within `limit` (0 on EOF or nothing).
std::size_t bytes_within(int fd, std::chrono::milliseconds limit) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(limit.count())) <= 0) return 0;
  char buf[256];
  const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void echo_over_stream(int fd, int messages) {
  std::string msg(64, 'm');
  for (int i = 0; i < messages; ++i) {
    msg[0] = static_cast<char>(i);
    ASSERT_EQ(send(fd, msg.data(), msg.size(), MSG_NOSIGNAL), 64);
    std::string got(64, '\0');
    std::size_t have = 0;
    while (have < got.size()) {
      const ssize_t n = recv(fd, got.data() + have, got.size() - have, 0);
      ASSERT_GT(n, 0);
      have += static_cast<std::size_t>(n);
    }
    ASSERT_EQ(got, msg);
  }
}

TEST(ServeHostile, ATcpDataPortAdmitsOnlyTheClientWithTheRunsSecret) {
  LiveServer server;
  RawClient c(server.endpoint());
  c.ask({{"type", "hello"}});
  const auto run = c.ask(run_request(good_work("tcp", "latency", 10)));
  ASSERT_EQ(run.value("ok", false), true) << run.dump();
  const int port = run["port"];
  const std::string secret = run["secret"];
  EXPECT_GE(secret.size(), 32u);

  const int idle = connect_tcp(port);  // holds a connection and says nothing
  const int stranger = connect_tcp(port);
  const std::string guess(64, 'g');
  ASSERT_EQ(send(stranger, guess.data(), guess.size(), MSG_NOSIGNAL), 64);
  EXPECT_EQ(bytes_within(stranger, 1500ms), 0u) << "a stranger got an echo";

  const int real = connect_tcp(port);
  ASSERT_EQ(send(real, secret.data(), secret.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(secret.size()));
  echo_over_stream(real, 10);
  const auto result = c.ask({{"type", "result"}});
  EXPECT_EQ(result.value("ok", false), true) << result.dump();
  EXPECT_EQ(result.value("messages", 0), 10);
  for (int fd : {idle, stranger, real}) close(fd);
}

TEST(ServeHostile, AStrangerAloneOnTheDataPortGetsNothingAndTheRunFails) {
  LiveServer server({"--peer-timeout=1"});
  RawClient c(server.endpoint());
  c.ask({{"type", "hello"}});
  const auto run = c.ask(run_request(good_work("tcp", "latency", 10)));
  const int stranger = connect_tcp(run["port"]);
  const std::string guess(64, 'g');
  send(stranger, guess.data(), guess.size(), MSG_NOSIGNAL);
  EXPECT_EQ(bytes_within(stranger, 1000ms), 0u);
  const auto result = c.ask({{"type", "result"}});
  EXPECT_EQ(result.value("ok", true), false) << "a run nobody admitted was reported fine";
  close(stranger);
}

int udp_socket_to(int port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = ipv4_address("127.0.0.1", port);
  connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  return fd;
}

TEST(ServeHostile, AUdpDataPortIgnoresStrangersAndBoundsAFlood) {
  LiveServer server;
  RawClient c(server.endpoint());
  c.ask({{"type", "hello"}});
  const auto run = c.ask(run_request(good_work("udp", "latency", 1'000'000)));
  ASSERT_EQ(run.value("ok", false), true) << run.dump();
  const int port = run["port"];
  const std::string secret = run["secret"];

  const int stranger = udp_socket_to(port);
  for (const std::string& d : {std::string("hwrong"), std::string("h"), std::string(64, 'x')}) {
    send(stranger, d.data(), d.size(), 0);
  }
  EXPECT_EQ(bytes_within(stranger, 500ms), 0u) << "a stranger got an answer";

  const int real = udp_socket_to(port);
  const std::string hello = "h" + secret;
  send(real, hello.data(), hello.size(), 0);
  char welcome = 0;
  pollfd p{real, POLLIN, 0};
  ASSERT_GT(poll(&p, 1, 2000), 0);
  ASSERT_EQ(recv(real, &welcome, 1, 0), 1);
  EXPECT_EQ(welcome, 'a');
  // The stranger's datagrams reach nobody now that the port is the client's.
  send(stranger, std::string(64, 'x').data(), 64, 0);
  EXPECT_EQ(bytes_within(stranger, 300ms), 0u);

  // A flood that never reads the echoes nor returns credits: the server's peer gives up with an
  // error instead of growing without bound.
  const std::string msg(64, 'f');
  const long before = server.rss_kib();
  for (int i = 0; i < 200'000; ++i) send(real, msg.data(), msg.size(), MSG_DONTWAIT);
  std::printf("serve's resident memory: %ld KiB before a udp flood, %ld KiB after\n", before,
              server.rss_kib());
  const auto result = c.ask({{"type", "result"}});
  EXPECT_EQ(result.value("ok", true), false);
  EXPECT_NE(result.value("error", "").find("credit window"), std::string::npos) << result.dump();
  EXPECT_TRUE(server.alive());
  close(stranger);
  close(real);
}

TEST(ServeHostile, ZmqStrangersNeverTakeThePairAndTheClientGetsIn) {
#if defined(__SANITIZE_THREAD__)
  // serve forks each benchmark's child while ZeroMQ's threads run, and a zmq.tcp child starts
  // threads of its own: TSan cannot follow that ("dup thread with used id"); ASan runs it.
  GTEST_SKIP() << "TSan does not support threads started after a multithreaded fork";
#endif
  LiveServer server;
  RawClient c(server.endpoint());
  c.ask({{"type", "hello"}});
  const auto run = c.ask(run_request(good_work("zmq.tcp", "latency", 5)));
  ASSERT_EQ(run.value("ok", false), true) << run.dump();
  const std::string address = "tcp://127.0.0.1:" + std::to_string(run["port"].get<int>());
  const std::string secret = run["secret"];

  zmq::context_t ctx(1);
  auto stranger_socket = [&](const std::string& password) {
    auto s = std::make_unique<zmq::socket_t>(ctx, zmq::socket_type::pair);
    s->set(zmq::sockopt::linger, 0);
    s->set(zmq::sockopt::rcvtimeo, 300);
    if (!password.empty()) {
      s->set(zmq::sockopt::plain_username, "ipcbench");
      s->set(zmq::sockopt::plain_password, password);
    }
    s->connect(address);
    s->send(zmq::buffer(secret));  // the secret as a message proves nothing
    return s;
  };
  auto plain = stranger_socket("");
  auto guess = stranger_socket("not-the-secret-not-the-secret-ab");
  std::this_thread::sleep_for(300ms);  // both have tried; neither may hold the PAIR

  zmq::socket_t real(ctx, zmq::socket_type::pair);
  real.set(zmq::sockopt::linger, 0);
  real.set(zmq::sockopt::rcvtimeo, 5000);
  real.set(zmq::sockopt::plain_username, "ipcbench");
  real.set(zmq::sockopt::plain_password, secret);
  real.connect(address);
  for (int i = 0; i < 5; ++i) {
    const std::string msg(64, static_cast<char>('a' + i));
    real.send(zmq::buffer(msg));
    zmq::message_t echo;
    ASSERT_TRUE(real.recv(echo)) << "no echo " << i;
    EXPECT_EQ(echo.to_string(), msg);
  }
  for (auto* s : {plain.get(), guess.get()}) {
    zmq::message_t got;
    EXPECT_FALSE(s->recv(got, zmq::recv_flags::dontwait)) << "a stranger got an echo";
  }
  const auto result = c.ask({{"type", "result"}});
  EXPECT_EQ(result.value("ok", false), true) << result.dump();
}

// A client keeping a tcp latency run busy: one thread sends messages without waiting, another
// drains the echoes, until the server's end closes.
class Streamer {
 public:
  Streamer(int port, const std::string& secret) : fd_(connect_tcp(port)) {
    send(fd_, secret.data(), secret.size(), MSG_NOSIGNAL);
    writer_ = std::thread([this] {
      const std::string msg(64, 's');
      while (send(fd_, msg.data(), msg.size(), MSG_NOSIGNAL) > 0) {
      }
      closed_ = true;
    });
    reader_ = std::thread([this] {
      char buf[4096];
      while (recv(fd_, buf, sizeof buf, 0) > 0) {
      }
      closed_ = true;
    });
  }
  ~Streamer() {
    shutdown(fd_, SHUT_RDWR);
    writer_.join();
    reader_.join();
    close(fd_);
  }
  bool closed() const { return closed_; }

 private:
  int fd_;
  std::atomic<bool> closed_{false};
  std::thread writer_, reader_;
};

enum class Leave { result, bye, vanish };

void leave_mid_benchmark(Leave how) {
  LiveServer server({"--peer-timeout=1"});
  {
    auto c = std::make_unique<RawClient>(server.endpoint());
    c->ask({{"type", "hello"}});
    const auto run = c->ask(run_request(good_work("tcp", "latency", 1'000'000'000)));
    ASSERT_EQ(run.value("ok", false), true);
    Streamer data(run["port"], run["secret"]);
    std::this_thread::sleep_for(300ms);
    ASSERT_FALSE(data.closed()) << "the run did not take the data";
    const auto left = std::chrono::steady_clock::now();
    if (how == Leave::result) {
      const auto result = c->ask({{"type", "result"}});  // answered though data still flows
      EXPECT_EQ(result.value("ok", true), false);
      EXPECT_LT(std::chrono::steady_clock::now() - left, 4s);
    } else if (how == Leave::bye) {
      c->send_json({{"version", 2}, {"id", 9}, {"type", "bye"}});
    } else {
      c.reset();  // its connection closes without a goodbye
    }
    EXPECT_TRUE(server.wait_for(how == Leave::result ? "" : "ready for the next client", 5s))
        << server.log();
    for (int i = 0; i < 100 && !data.closed(); ++i) std::this_thread::sleep_for(50ms);
    EXPECT_TRUE(data.closed()) << "the data port stayed open after the run ended";
  }
  ASSERT_TRUE(server.alive()) << server.log();
  RawClient next(server.endpoint());
  const auto hello = next.ask({{"type", "hello"}});
  EXPECT_EQ(hello.value("ok", false), true) << hello.dump() << server.log();
}

TEST(ServeHostile, AResultAskedWhileDataStillFlowsIsAnsweredAndTheServerStaysUp) {
  leave_mid_benchmark(Leave::result);
}
TEST(ServeHostile, AGoodbyeMidBenchmarkFreesTheServerAtOnce) { leave_mid_benchmark(Leave::bye); }
TEST(ServeHostile, AClientWhoseConnectionDiesMidBenchmarkIsLetGoWithinSeconds) {
  leave_mid_benchmark(Leave::vanish);
}

TEST(ServeHostile, WithATokenOnlyItsKeysCompleteTheHandshakeAndGuessersAreShutOut) {
  const std::string token = "the-token-of-this-test-0123";
  TokenDir dir(token);
  LiveServer server({"--token-file=" + dir.file()});
  {
    RawClient plain(server.endpoint());
    plain.send_json({{"version", 2}, {"id", 1}, {"type", "hello"}});
    EXPECT_FALSE(plain.reply(1500ms)) << "a client without the token was answered";
  }
  for (int i = 0; i < HandshakeLimit::kMaxFailures; ++i) {
    RawClient wrong(server.endpoint(), curve_keys_from_token("not-the-token-" + std::to_string(i)));
    wrong.send_json({{"version", 2}, {"id", 1}, {"type", "hello"}});
    EXPECT_FALSE(wrong.reply(300ms));
  }
  EXPECT_TRUE(server.wait_for("refused for a minute", 5s)) << server.log();
  EXPECT_LE(server.count("failed its handshake"), 2u) << "a log line per failure: " << server.log();
  const CurveKeys keys = curve_keys_from_token(token);
  {  // even the right keys, from the address that guessed
    RawClient again(server.endpoint(), keys, "127.0.0.1");
    again.send_json({{"version", 2}, {"id", 1}, {"type", "hello"}});
    EXPECT_FALSE(again.reply(1500ms)) << "a guessing address was let in within its penalty";
  }
  RawClient right(server.endpoint(), keys, "127.0.0.2");
  const auto hello = right.ask({{"type", "hello"}});
  EXPECT_EQ(hello.value("ok", false), true);
  EXPECT_TRUE(hello["context"].contains("host_name"));
  EXPECT_EQ(hello.dump().find(token), std::string::npos);
}

TEST(ServeHostile, AThousandIdleConnectionsNeitherExhaustNorBlockTheServer) {
  LiveServer server;
  std::vector<int> idle;
  for (int i = 0; i < 1100; ++i) {
    const int fd = connect_tcp(server.port());
    if (fd >= 0) idle.push_back(fd);
  }
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(server.alive());
  // Served once the unfinished handshakes time out (2 s), or once the kernel retries a SYN dropped
  // while the accept queue was full of idle connections (1 s, then 3 s, 7 s: the slowest seen
  // here). A connection refused at the limit may have carried the hello before it was closed: the
  // client asks again, as RemoteControl does when its connection ends before the hello's answer.
  RawClient c(server.endpoint());
  std::optional<nlohmann::json> hello;
  for (int id = 1; id <= 10 && !hello; ++id) {
    c.send_json({{"version", 2}, {"id", id}, {"type", "hello"}});
    hello = c.reply(2s);
  }
  ASSERT_TRUE(hello) << server.log();
  EXPECT_EQ(hello->value("ok", false), true) << hello->dump();
  EXPECT_EQ(server.count("client connected"), 1u) << server.log();
  for (int fd : idle) close(fd);
}

}  // namespace
}  // namespace ipcbench::testing_serve
