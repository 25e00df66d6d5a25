// A name no other file-scope variable has, for the registration lines at the bottom of a file
// (IPCBENCH_REGISTER_MECHANISM, _FAMILY, _PLANS, _OPTION): unique within a unity build's batch too.
#pragma once

#define IPCBENCH_CONCAT_INNER(a, b) a##b
#define IPCBENCH_CONCAT(a, b) IPCBENCH_CONCAT_INNER(a, b)
#define IPCBENCH_UNIQUE_NAME(prefix) IPCBENCH_CONCAT(prefix, __COUNTER__)
