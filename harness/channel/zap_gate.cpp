#include "channel/zap_gate.hpp"

#include <memory>
#include <vector>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "channel/data_port_secret.hpp"

namespace ipcbench {
namespace {

// How often the handler looks at its stop flag.
constexpr std::chrono::milliseconds kStopCheckInterval{100};

// ZAP (RFC 27): [version, request id, domain, address, routing id, mechanism, credentials...];
// the answer: [version, request id, status code, status text, user id, metadata].
void answer(zmq::socket_t& rep, const std::string& secret) {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(rep, std::back_inserter(request), zmq::recv_flags::dontwait)) return;
  const bool admitted = request.size() == 8 && request[0].to_string() == "1.0" &&
                        request[5].to_string() == "PLAIN" && request[6].to_string() == kZapUser &&
                        secret_matches(request[7].to_string(), secret);
  const std::string id = request.size() > 1 ? request[1].to_string() : "";
  const std::vector<std::string> reply = {
      "1.0", id, admitted ? "200" : "400", admitted ? "OK" : "not this run's secret", "", ""};
  for (std::size_t i = 0; i < reply.size(); ++i) {
    rep.send(zmq::buffer(reply[i]),
             i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

}  // namespace

ZapGate::ZapGate(zmq::context_t& context, std::string secret) {
  auto rep = std::make_unique<zmq::socket_t>(context, zmq::socket_type::rep);
  rep->set(zmq::sockopt::linger, 0);
  rep->bind("inproc://zeromq.zap.01");
  // The socket moves to the handler's thread here, and is used there only.
  thread_ = std::thread([this, rep = std::move(rep), secret = std::move(secret)] {
    while (!stop_.load()) {
      zmq::pollitem_t item{static_cast<void*>(*rep), 0, ZMQ_POLLIN, 0};
      try {
        if (zmq::poll(&item, 1, kStopCheckInterval) > 0) answer(*rep, secret);
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) return;  // the context is ending: nothing left to admit
      }
    }
  });
}

ZapGate::~ZapGate() {
  stop_ = true;
  thread_.join();
}

}  // namespace ipcbench
