// /proc and /sys/fs/cgroup parsing for the training-memory check. Every file is optional: what
// cannot be read is no limit, so the check never refuses a run because of an odd kernel.
#include "train/host_memory.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace neurite {

namespace {

namespace fs = std::filesystem;

// Limits at or above this are "no limit" (cgroup v1 writes 2^63 rounded down to a page).
constexpr double kUnlimited = double(1ull << 60);

std::optional<std::string> readText(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A file holding one non-negative integer ("max" and anything else: nullopt).
std::optional<double> readNumber(const fs::path& p) {
    const auto text = readText(p);
    if (!text) return std::nullopt;
    std::istringstream in(*text);
    unsigned long long v = 0;
    if (!(in >> v)) return std::nullopt;
    return double(v);
}

// The value of `key` in a "key value" per line file (memory.stat); 0 when absent.
double statValue(const fs::path& p, const std::string& key) {
    const auto text = readText(p);
    if (!text) return 0;
    std::istringstream in(*text);
    std::string k;
    unsigned long long v = 0;
    while (in >> k >> v)
        if (k == key) return double(v);
    return 0;
}

struct CgroupFiles {
    const char* limit;
    const char* usage;
    const char* inactiveKey;  // in memory.stat
};
constexpr CgroupFiles kV2{"memory.max", "memory.current", "inactive_file"};
constexpr CgroupFiles kV1{"memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"};

// The smallest headroom from `leaf` up to and including `top` (limits of ancestors apply too).
std::optional<double> headroomUpFrom(fs::path leaf, const fs::path& top, const CgroupFiles& f) {
    std::error_code ec;
    if (!fs::is_directory(leaf, ec)) leaf = top;  // a path of another namespace: the mount's own
    std::optional<double> best;
    for (fs::path dir = leaf;; dir = dir.parent_path()) {
        const auto limit = readNumber(dir / f.limit);
        const auto usage = readNumber(dir / f.usage);
        if (limit && usage && *limit < kUnlimited) {
            const double used = std::max(0.0, *usage - statValue(dir / "memory.stat", f.inactiveKey));
            const double left = std::max(0.0, *limit - used);
            best = best ? std::min(*best, left) : left;
        }
        if (dir == top || !dir.has_relative_path() || dir == dir.parent_path()) break;
        if (dir.string().size() <= top.string().size()) break;
    }
    return best;
}

std::optional<double> smaller(std::optional<double> a, std::optional<double> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

}  // namespace

std::optional<double> memAvailableFromMeminfo(const std::string& text) {
    std::istringstream in(text);
    std::string key;
    double kib = 0;
    while (in >> key >> kib) {
        if (key == "MemAvailable:") return kib * 1024;
        in.ignore(256, '\n');
    }
    return std::nullopt;
}

std::optional<double> cgroupHeadroom(const std::string& selfCgroupText, const std::string& cgroupRoot) {
    const fs::path root = fs::path(cgroupRoot).lexically_normal();
    std::optional<double> best;
    std::istringstream lines(selfCgroupText);
    std::string line;
    while (std::getline(lines, line)) {
        // hierarchy-ID:controller-list:cgroup-path; the path may itself hold ':'.
        const auto a = line.find(':');
        const auto b = a == std::string::npos ? a : line.find(':', a + 1);
        if (b == std::string::npos) continue;
        const std::string id = line.substr(0, a), controllers = line.substr(a + 1, b - a - 1);
        std::string path = line.substr(b + 1);
        if (path.empty() || path[0] != '/') continue;
        // Never leave the root through "..".
        const fs::path rel = fs::path(path.substr(1)).lexically_normal();
        if (!rel.empty() && *rel.begin() == "..") continue;
        if (id == "0" && controllers.empty()) {
            best = smaller(best, headroomUpFrom((root / rel).lexically_normal(), root, kV2));
            continue;
        }
        std::istringstream names(controllers);
        for (std::string name; std::getline(names, name, ',');)
            if (name == "memory") {
                const fs::path mount = root / "memory";
                best = smaller(best, headroomUpFrom((mount / rel).lexically_normal(), mount, kV1));
            }
    }
    return best;
}

HostMemory hostMemory(const HostMemoryPaths& paths) {
    HostMemory m;
    std::optional<double> available;
    if (const auto text = readText(paths.meminfo)) available = memAvailableFromMeminfo(*text);
    if (!available) {
        const long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        if (pages > 0 && size > 0) available = double(pages) * double(size);
    }
    std::optional<double> cgroup;
    if (const auto text = readText(paths.selfCgroup)) cgroup = cgroupHeadroom(*text, paths.cgroupRoot);
    if (cgroup && (!available || *cgroup < *available)) {
        m.bytes = *cgroup;
        m.cgroupLimited = true;
    } else {
        m.bytes = available.value_or(0);
    }
    return m;
}

}  // namespace neurite
