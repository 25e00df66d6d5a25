#include "app/result_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "app/context.hpp"
#include "base/system_error.hpp"
#include "base/usage_error.hpp"
#include "os/fd.hpp"
#include "os/io.hpp"
#include "os/resources.hpp"

namespace fs = std::filesystem;

namespace ipcbench {

std::string make_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(stamp) + "-" + git_short_sha();
}

ResultFile::ResultFile(std::string final_path) : final_(std::move(final_path)) {
  const fs::path target(final_);
  if (target.filename().empty())
    throw UsageError("--out '" + final_ + "' names a directory; give a file name");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    throw UsageError(
        "--out '" + final_ +
        "' already exists; ipcbench never overwrites a run: choose another name or remove it");
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(dir, ec);
  partial_ =
      (dir / ("." + target.filename().string() + ".partial-" + std::to_string(getpid()))).string();
  Fd fd(::open(partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd) {
    throw UsageError("cannot write --out '" + final_ + "': " + std::strerror(errno) +
                     "; choose a writable directory");
  }
  handle_ = register_resource(ResourceKind::file, partial_);
}

ResultFile::~ResultFile() {
  if (!published_ && handle_ >= 0) release_resource(handle_);
}

void ResultFile::publish(const std::string& content) {
  {
    Fd fd(check_syscall(::open(partial_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW),
                        "open (results)"));
    write_all(fd.get(), std::as_bytes(std::span(content.data(), content.size())));
    check_syscall(::fsync(fd.get()), "fsync (results)");
  }
  // link() fails with EEXIST instead of replacing: a run that appeared meanwhile is kept.
  check_syscall(::link(partial_.c_str(), final_.c_str()), ("link " + final_).c_str());
  release_resource(handle_);
  published_ = true;
}

void update_latest_link(const std::string& final_path) {
  const fs::path target(final_path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::path tmp = dir / (".latest.json.tmp-" + std::to_string(getpid()));
  fs::remove(tmp);
  fs::create_symlink(target.filename(), tmp);
  fs::rename(tmp, dir / "latest.json");
}

}  // namespace ipcbench
