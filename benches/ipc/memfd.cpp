// memfd: each message is written once into a fresh memfd, sealed against any further change
// (F_SEAL_WRITE, SHRINK, GROW, SEAL) and handed over a Unix socket (SOCK_SEQPACKET) as an
// SCM_RIGHTS descriptor; the receiver checks the seals and maps it read-only, and reads the
// message where it lies. The seals are what make that safe: the sender can no longer change the
// bytes the receiver is reading. One copy (into the memfd) instead of a socket's two.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "base/system_error.hpp"
#include "channel/fd_channel.hpp"
#include "os/io.hpp"
#include "os/stall_watchdog.hpp"

namespace ipcbench {
namespace {

constexpr int kSeals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;

// A read-only mapping of a received message, unmapped when replaced or destroyed.
class Mapping {
 public:
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { reset(); }

  std::span<const std::byte> map(int fd, std::size_t size) {
    reset();
    void* p = mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) throw_syscall_error(errno, "mmap (memfd)");
    data_ = static_cast<const std::byte*>(p);
    size_ = size;
    return {data_, size_};
  }
  void reset() {
    if (data_) munmap(const_cast<std::byte*>(data_), size_);
    data_ = nullptr;
  }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// One message on the socket: the size as its data, room for one descriptor (SCM_RIGHTS) beside.
// Not copyable: the header points into it.
struct FdMessage {
  explicit FdMessage(std::uint64_t bytes) : size(bytes) {
    hdr.msg_iov = &iov;
    hdr.msg_iovlen = 1;
    hdr.msg_control = control;
    hdr.msg_controllen = sizeof control;
  }
  FdMessage(const FdMessage&) = delete;
  FdMessage& operator=(const FdMessage&) = delete;

  std::uint64_t size;
  iovec iov{&size, sizeof size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr hdr{};
};

class MemfdEndpoint : public Endpoint {
 public:
  explicit MemfdEndpoint(Fd socket) : socket_(std::move(socket)) {}

  void send(std::span<const std::byte> msg) override {
    Fd memfd(check_syscall(memfd_create("ipcbench-message", MFD_CLOEXEC | MFD_ALLOW_SEALING),
                           "memfd_create"));
    write_all(memfd.get(), msg);
    check_syscall(fcntl(memfd.get(), F_ADD_SEALS, kSeals), "fcntl(F_ADD_SEALS)");
    FdMessage record(msg.size());
    cmsghdr* c = CMSG_FIRSTHDR(&record.hdr);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    const int fd = memfd.get();
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    for (;;) {
      if (::sendmsg(socket_.get(), &record.hdr, MSG_NOSIGNAL) >= 0) return;
      if (errno == EPIPE || errno == ECONNRESET) throw ChannelClosed("peer closed the channel");
      if (errno != EINTR) throw_syscall_error(errno, "sendmsg (memfd)");
      check_stall();
    }
  }

  void recv(std::span<std::byte> msg) override {
    const auto view = recv_view(msg);
    std::memcpy(msg.data(), view.data(), view.size());
    mapping_.reset();
  }

  std::span<const std::byte> recv_view(std::span<std::byte> scratch) override {
    mapping_.reset();
    Fd memfd = receive_descriptor(scratch.size());
    const int seals = check_syscall(fcntl(memfd.get(), F_GET_SEALS), "fcntl(F_GET_SEALS)");
    if ((seals & F_SEAL_WRITE) == 0 || (seals & F_SEAL_SHRINK) == 0) {
      throw std::runtime_error("memfd: received a message that is not sealed against writes");
    }
    struct stat st {};
    check_syscall(fstat(memfd.get(), &st), "fstat (memfd)");
    if (static_cast<std::size_t>(st.st_size) != scratch.size()) {
      throw std::runtime_error("memfd: received " + std::to_string(st.st_size) +
                               " bytes, expected " + std::to_string(scratch.size()));
    }
    return mapping_.map(memfd.get(), scratch.size());
  }

 private:
  // One record: the size, and the memfd as SCM_RIGHTS. EOF or a peer's reset closes the channel.
  Fd receive_descriptor(std::size_t expected) {
    FdMessage record(0);
    ssize_t n;
    for (;;) {
      n = ::recvmsg(socket_.get(), &record.hdr, MSG_CMSG_CLOEXEC);
      if (n >= 0 || errno != EINTR) break;
      check_stall();
    }
    if (n == 0 || (n < 0 && errno == ECONNRESET)) throw ChannelClosed("peer closed the channel");
    check_syscall(n, "recvmsg (memfd)");
    const cmsghdr* c = CMSG_FIRSTHDR(&record.hdr);
    if (!c || c->cmsg_type != SCM_RIGHTS || (record.hdr.msg_flags & MSG_CTRUNC)) {
      throw std::runtime_error("memfd: a message arrived without its descriptor");
    }
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    Fd memfd(fd);
    if (record.size != expected) {
      throw std::runtime_error("memfd: announced " + std::to_string(record.size) +
                               " bytes, expected " + std::to_string(expected));
    }
    return memfd;
  }

  Fd socket_;
  Mapping mapping_;
};

std::unique_ptr<Channel> create_memfd(const ChannelOptions&) {
  int fds[2];
  check_syscall(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), "socketpair");
  return std::make_unique<FdChannel>(FdChannel::Ends{Fd(fds[0]), Fd()},
                                     FdChannel::Ends{Fd(fds[1]), Fd()},
                                     [](FdChannel::Ends ends) -> std::unique_ptr<Endpoint> {
                                       return std::make_unique<MemfdEndpoint>(std::move(ends.in));
                                     });
}

}  // namespace

IPCBENCH_REGISTER_MECHANISM(
    {"memfd",
     "each message in a sealed memfd, passed over a Unix socket (SCM_RIGHTS), mapped by the "
     "receiver",
     {.data_path = DataPath::shared_memory,
      .waits = Waits::blocks,
      .zero_copy = true,
      .counterpart = "socketpair"},
     {},
     &create_memfd});

}  // namespace ipcbench
