#include "remote/control.hpp"

#include <zmq.hpp>

#include "base/usage_error.hpp"

namespace ipcbench {

RemoteControl::RemoteControl(HostPort server, std::string token, std::chrono::milliseconds timeout,
                             int version)
    : server_(std::move(server)),
      token_(std::move(token)),
      timeout_(timeout),
      version_(version),
      context_zmq_(std::make_unique<zmq::context_t>(1)) {
  reconnect();
  nlohmann::json reply;
  try {
    reply = request({{"type", "hello"}, {"token", token_}});
  } catch (const RemoteError& e) {
    throw UsageError(std::string(e.what()) + "; is `ipcbench serve` running there?");
  }
  if (!reply.value("ok", false)) {
    throw UsageError("remote " + server_.text() + " refused: " + reply.value("error", "no reason"));
  }
  context_ = reply.value("context", nlohmann::json::object());
}

RemoteControl::~RemoteControl() {
  try {
    socket_->send(zmq::str_buffer(""), zmq::send_flags::sndmore);
    const std::string bye =
        nlohmann::json{{"version", version_}, {"id", 0}, {"type", "bye"}}.dump();
    socket_->send(zmq::buffer(bye), zmq::send_flags::dontwait);
  } catch (const zmq::error_t&) {
    // the server is gone: it needs no goodbye
  }
}

void RemoteControl::reconnect() {
  socket_ = std::make_unique<zmq::socket_t>(*context_zmq_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 200);  // a goodbye may still leave; nothing waits longer
  socket_->connect("tcp://" + server_.text());
}

nlohmann::json RemoteControl::request(nlohmann::json body) {
  const std::uint64_t id = next_id_++;
  body["version"] = version_;
  body["id"] = id;
  const std::string text = body.dump();
  socket_->send(zmq::str_buffer(""), zmq::send_flags::sndmore);
  socket_->send(zmq::buffer(text), zmq::send_flags::none);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    zmq::pollitem_t item{static_cast<void*>(*socket_), 0, ZMQ_POLLIN, 0};
    int ready = 0;
    try {
      ready = left.count() > 0 ? zmq::poll(&item, 1, left) : 0;
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
      continue;
    }
    if (ready == 0) {
      reconnect();  // drop what a dead or hung server would otherwise answer much later
      throw RemoteError("remote " + server_.text() + " did not answer within " +
                        std::to_string(timeout_.count()) + " ms");
    }
    zmq::message_t delimiter, reply;
    if (!socket_->recv(delimiter) || !delimiter.more() || !socket_->recv(reply)) continue;
    nlohmann::json j = nlohmann::json::parse(reply.to_string(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw RemoteError("remote " + server_.text() + " sent a reply that is not JSON");
    }
    if (j.value("id", std::uint64_t{0}) == id) return j;  // else the answer to an abandoned one
  }
}

int RemoteControl::start(const RemoteWork& work) {
  const auto reply = request({{"type", "run"}, {"work", to_json(work)}});
  if (!reply.value("ok", false)) {
    throw RemoteError("remote " + server_.text() + ": " + reply.value("error", "refused"));
  }
  return reply.value("port", 0);
}

PeerReport RemoteControl::finish() {
  const auto reply = request({{"type", "result"}});
  if (!reply.value("ok", false)) {
    throw RemoteError("remote " + server_.text() + ": " + reply.value("error", "failed"));
  }
  PeerReport report;
  report.cpu_ns = reply.value("cpu_ns", std::int64_t{0});
  report.messages = reply.value("messages", std::uint64_t{0});
  return report;
}

}  // namespace ipcbench
