// How much host memory this process may still use: the smaller of /proc/meminfo's MemAvailable
// and what its cgroup's memory limit leaves (cgroup v2 memory.max, v1 memory.limit_in_bytes, for
// the process's own cgroup and its ancestors). A container or a systemd slice with a limit below
// the machine's free memory is then what the training-memory check compares with.
#pragma once

#include <optional>
#include <string>

namespace neurite {

// Where the kernel's files are; tests point these at fixture directories.
struct HostMemoryPaths {
    std::string meminfo = "/proc/meminfo";
    std::string selfCgroup = "/proc/self/cgroup";
    std::string cgroupRoot = "/sys/fs/cgroup";
};

// MemAvailable of /proc/meminfo text, in bytes; nullopt when absent.
std::optional<double> memAvailableFromMeminfo(const std::string& meminfoText);

// What the cgroup limits leave, in bytes: for the process's cgroup (named by `selfCgroupText`,
// the text of /proc/self/cgroup) and each ancestor under `cgroupRoot`, limit minus usage, where
// usage leaves out the inactive page cache the kernel reclaims first (memory.stat inactive_file,
// v1 total_inactive_file); the smallest of them. nullopt when no limit applies (no cgroup, "max",
// v1's "unlimited" near 2^63, unreadable files). Never negative.
std::optional<double> cgroupHeadroom(const std::string& selfCgroupText, const std::string& cgroupRoot);

struct HostMemory {
    double bytes = 0;       // 0 when unknown
    bool cgroupLimited = false;  // the cgroup's limit, not MemAvailable, is the smaller
};
HostMemory hostMemory(const HostMemoryPaths& paths = {});

}  // namespace neurite
