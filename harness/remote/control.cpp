#include "remote/control.hpp"

#include <zmq.hpp>

#include "base/usage_error.hpp"
#include "remote/control_socket.hpp"
#include "remote/socket_monitor.hpp"

namespace ipcbench {
namespace {

constexpr int kClientEvents = ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
                              ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                              ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

std::string reply_error(const nlohmann::json& reply, const char* otherwise) {
  const auto it = reply.find("error");
  return it != reply.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

bool reply_ok(const nlohmann::json& reply) {
  const auto it = reply.find("ok");
  return it != reply.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

RemoteControl::RemoteControl(HostPort server, const std::string& token,
                             std::chrono::milliseconds timeout, int version)
    : server_(std::move(server)),
      timeout_(timeout),
      version_(version),
      context_zmq_(std::make_unique<zmq::context_t>(1)) {
  std::optional<CurveKeys> keys;
  if (!token.empty()) keys = curve_keys_from_token(token);
  socket_ = std::make_unique<zmq::socket_t>(*context_zmq_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 200);  // a goodbye may still leave; nothing waits longer
  configure_control_socket(*socket_, ControlRole::client, keys);
  monitor_ = std::make_unique<SocketMonitor>(*context_zmq_, *socket_, kClientEvents);
  socket_->connect("tcp://" + server_.text());
  nlohmann::json reply;
  try {
    reply = request({{"type", "hello"}});
  } catch (const RemoteError& e) {
    throw UsageError(e.what());
  }
  if (!reply_ok(reply)) {
    throw UsageError("remote " + server_.text() + " refused: " + reply_error(reply, "no reason"));
  }
  in_session_ = true;
  const auto it = reply.find("context");
  if (it != reply.end() && it->is_object()) context_ = *it;
}

RemoteControl::~RemoteControl() {
  try {
    socket_->send(zmq::str_buffer(""), zmq::send_flags::sndmore);
    const std::string bye =
        nlohmann::json{{"version", version_}, {"id", next_id_}, {"type", "bye"}}.dump();
    socket_->send(zmq::buffer(bye), zmq::send_flags::dontwait);
  } catch (const zmq::error_t&) {
    // the server is gone: it needs no goodbye
  }
  monitor_.reset();  // before the socket it watches
}

// What the monitor saw since the last look: a handshake the server refused, or a connection that
// ended (the server stopped, was killed, or its host stopped answering heartbeats). A connection
// that ends before the hello is answered (a server at its connection limit closes new ones) is
// not yet a session: ZeroMQ connects again, and true says the pending request must be sent again.
bool RemoteControl::check_connection() {
  const std::string lost =
      "remote " + server_.text() + " closed the connection or stopped answering heartbeats";
  if (lost_) throw RemoteError(lost);  // a server that comes back would not know this session
  bool resend = false;
  for (const SocketEvent& e : monitor_->take()) {
    if (e.type == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      handshake_done_ = true;
    } else if (e.type == ZMQ_EVENT_DISCONNECTED && handshake_done_ && in_session_) {
      lost_ = true;
      throw RemoteError(lost);
    } else if (e.type == ZMQ_EVENT_DISCONNECTED && handshake_done_) {
      handshake_done_ = false;
      resend = true;
    } else {
      throw RemoteError("remote " + server_.text() +
                        " refused the handshake: wrong token (or a token on one side only; "
                        "give both sides the same --token-file), or it is refusing connections "
                        "(--max-connections reached, or too many failed handshakes from here)");
    }
  }
  return resend;
}

void RemoteControl::send_request(const nlohmann::json& body) {
  const std::string text = body.dump();
  socket_->send(zmq::str_buffer(""), zmq::send_flags::sndmore);
  socket_->send(zmq::buffer(text), zmq::send_flags::none);
}

nlohmann::json RemoteControl::request(nlohmann::json body) {
  check_connection();  // a reconnection before this request needs nothing sent again
  const std::uint64_t id = next_id_++;
  body["version"] = version_;
  body["id"] = id;
  send_request(body);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    zmq::pollitem_t items[] = {{static_cast<void*>(*socket_), 0, ZMQ_POLLIN, 0},
                               {monitor_->handle(), 0, ZMQ_POLLIN, 0}};
    int ready = 0;
    try {
      ready = left.count() > 0 ? zmq::poll(items, 2, left) : 0;
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
      continue;
    }
    if (ready == 0) {
      throw RemoteError("remote " + server_.text() + " did not answer within " +
                        std::to_string(timeout_.count()) + " ms");
    }
    if ((items[1].revents & ZMQ_POLLIN) && check_connection()) send_request(body);
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    zmq::message_t delimiter, reply;
    if (!socket_->recv(delimiter, zmq::recv_flags::dontwait) || !delimiter.more() ||
        !socket_->recv(reply)) {
      continue;
    }
    nlohmann::json j = nlohmann::json::parse(reply.to_string(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw RemoteError("remote " + server_.text() + " sent a reply that is not JSON");
    }
    const auto reply_id = j.find("id");
    if (reply_id != j.end() && reply_id->is_number_unsigned() &&
        reply_id->get<std::uint64_t>() == id)
      return j;  // else the answer to an abandoned request
  }
}

DataPort RemoteControl::start(const RemoteWork& work) {
  const auto reply = request({{"type", "run"}, {"work", to_json(work)}});
  if (!reply_ok(reply)) {
    throw RemoteError("remote " + server_.text() + ": " + reply_error(reply, "refused"));
  }
  try {
    DataPort port{static_cast<int>(count_field(reply, "port")), 0,
                  text_field(reply, "secret", 256)};
    if (work.workload == "relay")
      port.reply_port = static_cast<int>(count_field(reply, "reply_port"));
    return port;
  } catch (const ProtocolError& e) {
    throw RemoteError("remote " + server_.text() + " sent a bad run reply: " + e.what());
  }
}

PeerReport RemoteControl::finish() {
  const auto reply = request({{"type", "result"}});
  if (!reply_ok(reply)) {
    throw RemoteError("remote " + server_.text() + ": " + reply_error(reply, "failed"));
  }
  PeerReport report;
  try {
    report.cost.stats.cpu_ns = static_cast<std::int64_t>(count_field(reply, "cpu_ns"));
    report.messages = count_field(reply, "messages");
  } catch (const ProtocolError& e) {
    throw RemoteError("remote " + server_.text() + " sent a bad result: " + e.what());
  }
  return report;
}

}  // namespace ipcbench
