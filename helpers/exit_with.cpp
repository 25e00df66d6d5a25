// ipcbench-exit-with CODE: the tiny program spawn/posix_spawn and spawn/fork_exec start. It exits
// with CODE so the parent can check that this very child ran; linked statically so the time
// measured is the kernel's, not the dynamic loader's.
#include <cstdlib>

int main(int argc, char** argv) { return argc == 2 ? std::atoi(argv[1]) & 0x7f : 126; }
