// A live `ipcbench serve` on loopback for the hostile-client tests, and a raw control client that
// sends whatever frames a test likes: the server is tested as an outside peer meets it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "remote/control_socket.hpp"
#include "remote/handshake_limit.hpp"
#include "remote/protocol.hpp"
#include "remote/token.hpp"

namespace ipcbench::testing_serve {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A private directory with a chmod-600 token file.
class TokenDir {
 public:
  explicit TokenDir(const std::string& token) {
    dir_ = fs::temp_directory_path() /
           ("ipcbench-serve-test-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
    std::ofstream(file()) << token << "\n";
    chmod(file().c_str(), 0600);
  }
  ~TokenDir() { fs::remove_all(dir_); }
  std::string file() const { return (dir_ / "token").string(); }
  fs::path dir() const { return dir_; }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
};

class LiveServer {
 public:
  explicit LiveServer(std::vector<std::string> extra = {}) : port_(free_port()) {
    log_ = fs::temp_directory_path() /
           ("ipcbench-serve-" + std::to_string(getpid()) + "-" + std::to_string(port_) + ".log");
    std::vector<std::string> args = {IPCBENCH_BINARY, "serve",
                                     "--listen=127.0.0.1:" + std::to_string(port_)};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    wait_for("listening on");
  }
  ~LiveServer() {
    if (alive()) kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    fs::remove(log_);
  }
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string endpoint() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  bool alive() const { return waitpid(pid_, nullptr, WNOHANG) == 0; }
  std::string log() const {
    std::ifstream in(log_);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::size_t count(const std::string& needle) const {
    const std::string text = log();
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }
  // Waits until the log holds `needle` `times` times; false on timeout.
  bool wait_for(const std::string& needle, std::chrono::milliseconds limit = 20s,
                std::size_t times = 1) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (count(needle) >= times) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  // Resident memory in KiB, now and at its peak, from /proc.
  long rss_kib() const { return status_kib("VmRSS:"); }
  long peak_rss_kib() const { return status_kib("VmHWM:"); }

 private:
  long status_kib(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    long value = 0;
    while (in >> key) {
      if (key == field) {
        in >> value;
        return value;
      }
    }
    return -1;
  }

  int port_;
  pid_t pid_ = -1;
  fs::path log_;
};

// A DEALER that sends raw frames ([empty][body] by default) and reads raw replies.
class RawClient {
 public:
  // `source`: the local address to connect from ("127.0.0.2"), or the kernel's choice.
  RawClient(const std::string& endpoint, const std::optional<CurveKeys>& keys = std::nullopt,
            const std::string& source = "")
      : socket_(context_, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    if (keys) configure_control_socket(socket_, ControlRole::client, keys);
    const std::string tcp = "tcp://";
    socket_.connect(source.empty() ? endpoint : tcp + source + ":0;" + endpoint.substr(tcp.size()));
  }
  void send_frames(const std::vector<std::string>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      socket_.send(zmq::buffer(frames[i]),
                   i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
  }
  void send_body(const std::string& body) { send_frames({"", body}); }
  void send_json(nlohmann::json body) { send_body(body.dump()); }
  // The next reply's JSON, or nothing within `limit`.
  std::optional<nlohmann::json> reply(std::chrono::milliseconds limit = 3s) {
    zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, limit) <= 0) return std::nullopt;
    zmq::message_t delimiter, body;
    if (!socket_.recv(delimiter) || !delimiter.more() || !socket_.recv(body)) return std::nullopt;
    auto j = nlohmann::json::parse(body.to_string(), nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
  }
  nlohmann::json ask(nlohmann::json body) {
    body["version"] = kProtocolVersion;
    if (!body.contains("id")) body["id"] = next_id_++;
    send_json(body);
    auto r = reply();
    if (!r) throw std::runtime_error("no reply to " + body.dump());
    return *r;
  }

 private:
  zmq::context_t context_{1};
  zmq::socket_t socket_;
  std::uint64_t next_id_ = 1;
};

}  // namespace ipcbench::testing_serve
