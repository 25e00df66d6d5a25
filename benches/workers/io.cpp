// io/*: IO-bound tasks run as n tasks sequentially, in n threads and in n processes: the course's
// file task (write short lines, read them back; one file per task in a private directory), the
// same with fsync, a blocking wait (sleeps), and a loopback TCP echo client. The course says
// threads suit IO-bound work: here the workers mostly wait, so both kinds should overlap.
#include "os/io.hpp"

#include <memory>
#include <vector>

#include "measure/payload.hpp"
#include "workers/echo_server.hpp"
#include "workers/file_job.hpp"
#include "workers/scaling.hpp"
#include "workers/wait_job.hpp"

namespace ipcbench {
namespace {

// Each task connects, then makes `trips` 64-byte round trips, verifying every echo.
Job tcp_echo_job(std::uint64_t trips) {
  auto server = std::make_shared<EchoServer>();
  return {[server, trips](int) {
            Fd fd = connect_loopback(server->port());
            PayloadSource source(64);
            std::vector<std::byte> reply(64);
            for (std::uint64_t seq = 0; seq < trips; ++seq) {
              write_all(fd.get(), source.stamp(seq));
              read_exact(fd.get(), reply);
              verify_payload(reply, seq);
            }
            return trips;
          },
          [trips](int) { return trips; }};
}

void register_io(const RunSettings& run, BenchmarkSet& set) {
  const Profile& profile = run.profile;
  const std::uint64_t lines = scaled_count(profile, 100'000);
  register_scaling(run, set, "io/file", [lines](int n) { return file_job(n, lines, false); });
  const std::uint64_t fsync_lines = scaled_count(profile, 10'000);
  register_scaling(run, set, "io/file_fsync",
                   [fsync_lines](int n) { return file_job(n, fsync_lines, true); });
  const std::uint64_t sleeps = scaled_count(profile, 20);
  register_scaling(run, set, "io/sleep",
                   [sleeps](int) { return wait_job(sleeps, std::chrono::milliseconds(1)); });
  const std::uint64_t trips = scaled_count(profile, 500);
  register_scaling(run, set, "io/tcp_echo", [trips](int) { return tcp_echo_job(trips); });
}

}  // namespace

IPCBENCH_REGISTER_FAMILY("io", &register_io);

}  // namespace ipcbench
