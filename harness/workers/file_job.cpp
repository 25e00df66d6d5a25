#include "workers/file_job.hpp"

#include <memory>
#include <string>
#include <vector>

#include "os/resources.hpp"
#include "workers/kernels.hpp"

namespace ipcbench {
namespace {

struct TaskFiles {
  OwnedResource dir = make_private_dir();  // declared first: removed after the files inside
  std::vector<OwnedResource> paths;
};

}  // namespace

Job file_job(int tasks, std::uint64_t lines, bool fsync_file) {
  auto files = std::make_shared<TaskFiles>();
  for (int i = 0; i < tasks; ++i) {
    files->paths.emplace_back(ResourceKind::file,
                              files->dir.name() + "/task-" + std::to_string(i) + ".txt");
  }
  return {[files, lines, fsync_file](int i) {
            return kernels::write_read_lines(files->paths[static_cast<std::size_t>(i)].name(),
                                             lines, fsync_file);
          },
          [lines](int) { return lines; }};
}

}  // namespace ipcbench
