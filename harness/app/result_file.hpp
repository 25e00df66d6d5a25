// Atomic, never-overwriting result files: the finished run is written to a hidden partial file
// beside the target and linked into place. Interrupted runs leave nothing behind. This is the
// only writer of a results file.
#pragma once

#include <string>

namespace ipcbench {

// "<UTC timestamp>-<git short sha>", e.g. 20261122T083000Z-1a2b3c4.
std::string make_run_id();

class ResultFile {
 public:
  // Throws UsageError when final_path exists or its directory cannot be written.
  explicit ResultFile(std::string final_path);
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  const std::string& final_path() const { return final_; }
  // A scratch path beside the target, removed at exit, for a helper's output (`suffix` names it).
  std::string scratch_path(const std::string& suffix) const { return partial_ + suffix; }
  // Writes content to the partial file, fsyncs it and links it to the final path (failing
  // rather than overwriting).
  void publish(const std::string& content);

 private:
  std::string final_;
  std::string partial_;
  int handle_ = -1;
  bool published_ = false;
};

// Points <dir>/latest.json at the file (a relative symlink, replaced atomically).
void update_latest_link(const std::string& final_path);

}  // namespace ipcbench
