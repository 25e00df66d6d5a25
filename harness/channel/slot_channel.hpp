// The textbook bounded buffer in shared memory: K message slots per direction and two counting
// notifications, "full" (messages waiting) and "empty" (slots free), each message posting one and
// waiting on the other. The notification mechanism is what varies (eventfd, POSIX or System V
// semaphores), so those benchmarks measure the notification cost with the payload in shared memory.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "channel/mechanism.hpp"
#include "os/shared_memory.hpp"

namespace ipcbench {

// Four counters: index 2*d is direction d's "full", 2*d+1 its "empty" (d: 0 = a->b, 1 = b->a).
// Counting semantics: post adds one, wait blocks until it can take one. wait must retry EINTR
// through check_stall().
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void post(int counter) = 0;
  virtual void wait(int counter) = 0;
  // Called in each side's own process or thread when it opens (side 0 = a, 1 = b), before it
  // posts or waits: a notifier that targets a thread (signals) learns who waits where.
  virtual void attach(int /*side*/) {}
  // One post made while closing, so a waiting peer wakes and sees the close. The peer may be
  // gone already; that is not an error then, so this never throws.
  virtual void post_for_close(int counter) noexcept = 0;
};

// Creates the notifier with `initial[i]` on counter i, in the parent, before any peer starts.
using MakeNotifier = std::function<std::unique_ptr<Notifier>(const std::uint32_t initial[4])>;

class SlotChannel : public Channel {
 public:
  SlotChannel(std::size_t max_message, MakeNotifier make);
  ~SlotChannel() override;
  std::unique_ptr<Endpoint> open(Side side, PeerKind peers) override;

  struct Direction;

 private:
  std::size_t slot_size_;
  std::uint32_t slots_;
  SharedMemory shm_;
  std::unique_ptr<Notifier> notifier_;
};

// The registration of a bounded-buffer mechanism whose notifier is N (constructed from the four
// initial counts): IPCBENCH_REGISTER_MECHANISM(slot_mechanism<EventFds>("eventfd+shm", "..."));
// Every message costs a post and a wait through the kernel, even though its bytes are shared;
// a polling notifier says so in `facts`.
template <typename N>
MechanismInfo slot_mechanism(const char* name, const char* description,
                             MechanismFacts facts = {.data_path = DataPath::shared_memory,
                                                     .waits = Waits::blocks}) {
  return {name, description, facts, {}, [](const ChannelOptions& o) -> std::unique_ptr<Channel> {
            return std::make_unique<SlotChannel>(
                o.max_message_size,
                [](const std::uint32_t* initial) { return std::make_unique<N>(initial); });
          }};
}

}  // namespace ipcbench
