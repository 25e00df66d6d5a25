#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "named_objects.hpp"
#include "os/resources.hpp"

using namespace ipcbench;
namespace fs = std::filesystem;

namespace {

pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

void touch(const std::string& path) { std::ofstream(path) << "x"; }

}  // namespace

TEST(Resources, NamesAreUniqueAndCarryOurPid) {
  const auto a = unique_resource_name("shm"), b = unique_resource_name("shm");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("ipcbench-" + std::to_string(getpid()) + "-", 0), 0u) << a;
}

TEST(Resources, ReleaseAndRemoveAllDeleteTheObjects) {
  auto owned_dir = make_private_dir();
  const std::string dir = owned_dir.name();
  struct stat st;
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const std::string file = dir + "/fifo";
  touch(file);
  const int h = register_resource(ResourceKind::file, file);
  release_resource(h);
  EXPECT_FALSE(fs::exists(file));

  const std::string shm = "/" + unique_resource_name("test");
  const int fd = shm_open(shm.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  close(fd);
  register_resource(ResourceKind::posix_shm, shm);
  touch(dir + "/sock");
  register_resource(ResourceKind::file, dir + "/sock");
  remove_all_resources();  // the directory is registered first but must go last
  EXPECT_FALSE(fs::exists("/dev/shm" + shm));
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(registered_resource_count(), 0u);
}

TEST(Resources, OwnedResourceIsRemovedWithItsOwner) {
  std::string path;
  {
    auto dir = make_private_dir();
    path = dir.name();
    EXPECT_TRUE(fs::is_directory(path));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(registered_resource_count(), 0u);
}

TEST(Resources, SigtermRemovesEverythingAndDiesOfTheSignal) {
  const std::string file = fs::temp_directory_path() / unique_resource_name("sigterm");
  const pid_t pid = fork();
  if (pid == 0) {
    install_cleanup_handlers();
    touch(file);
    register_resource(ResourceKind::file, file);
    raise(SIGTERM);
    _exit(99);  // not reached: the handler re-raises with the default action
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_FALSE(fs::exists(file));
}

TEST(Resources, SweepRemovesOnlyStaleObjectsOfOurs) {
  const pid_t gone = dead_pid();
  const std::string stale_shm = "/dev/shm/ipcbench-" + std::to_string(gone) + "-abc-ring";
  const std::string stale_dir =
      fs::temp_directory_path() / ("ipcbench-" + std::to_string(gone) + "-xyz");
  const std::string live_shm = "/dev/shm/ipcbench-" + std::to_string(getpid()) + "-abc-live";
  const std::string foreign = "/dev/shm/notours-" + std::to_string(gone);
  touch(stale_shm);
  fs::create_directory(stale_dir);
  touch(stale_dir + "/sock");
  touch(live_shm);
  touch(foreign);

  const auto result = sweep_stale_resources();
  EXPECT_GE(result.removed, 2u);
  EXPECT_FALSE(fs::exists(stale_shm));
  EXPECT_FALSE(fs::exists(stale_dir));
  EXPECT_TRUE(fs::exists(live_shm));
  EXPECT_TRUE(fs::exists(foreign));
  fs::remove(live_shm);
  fs::remove(foreign);
}

TEST(Resources, SweepDoesNotFollowAPlantedSymlink) {
  const pid_t gone = dead_pid();
  const fs::path victim_dir = fs::temp_directory_path() / unique_resource_name("victim");
  fs::create_directory(victim_dir);
  touch(victim_dir / "precious");
  const fs::path link = fs::temp_directory_path() / ("ipcbench-" + std::to_string(gone) + "-link");
  fs::create_directory_symlink(victim_dir, link);
  sweep_stale_resources();
  EXPECT_FALSE(fs::exists(fs::symlink_status(link)));
  EXPECT_TRUE(fs::exists(victim_dir / "precious"));
  fs::remove_all(victim_dir);
}

// The leftover checks of the mechanism tests see what they look for: an unnamed SysV queue, a
// POSIX object of ours and a descriptor, each left open on purpose.
TEST(SystemObjects, SeesEachKindOfLeftover) {
  const SystemObjects before = SystemObjects::now(getpid());
  const std::string name = "/" + unique_resource_name("leftover");
  const int shm = shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  const int queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(shm, 0);
  ASSERT_GE(queue, 0);
  ASSERT_GE(fd, 0);
  const auto added = SystemObjects::now(getpid()).added_since(before);
  const auto has = [&](const std::string& what) {
    return std::any_of(added.begin(), added.end(), [&](const std::string& item) {
      return item.find(what) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("/dev/shm" + name)) << testing::PrintToString(added);
  EXPECT_TRUE(has("/proc/sysvipc/msg:" + std::to_string(queue))) << testing::PrintToString(added);
  EXPECT_TRUE(has(std::to_string(fd) + " -> /dev/null")) << testing::PrintToString(added);
  close(fd);
  close(shm);
  shm_unlink(name.c_str());
  msgctl(queue, IPC_RMID, nullptr);
  EXPECT_EQ(SystemObjects::now(getpid()).added_since(before), std::vector<std::string>{});
}
