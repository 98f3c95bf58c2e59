// Device registry: the CPU backend always; GPUs when built with CUDA. The CUDA probe (CUDA
// runtime only, linked in) lists GPUs or says why there are none; the backend itself lives in a
// plugin, libneurite_cuda.so, loaded with dlopen on first use, so that neurite and neurite-cli
// start on machines without cuBLAS or cuDNN. It is looked for next to the executable, then in
// ../lib/neurite/ relative to it (NEURITE_CUDA_PLUGIN names another path).
#include "devices/device_registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#ifdef NEURITE_HAVE_CUDA
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <filesystem>

#include "backend/cuda/cuda_plugin.h"
#include "backend/cuda/cuda_probe.h"
#endif

namespace neurite {

namespace {

std::mutex g_mutex;
std::size_t g_gpuMemoryCap = 0;

#ifdef NEURITE_HAVE_CUDA

struct CudaPlugin {
    NeuriteCudaCreateFn create = nullptr;
    NeuriteCudaSetMemoryCapFn setMemoryCap = nullptr;
    NeuriteCudaLibraryVersionsFn libraryVersions = nullptr;  // optional
    std::string path;
    std::string problem;  // why it cannot be used; empty when loaded
};

std::filesystem::path executableDir() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    buf[n] = '\0';
    return std::filesystem::path(buf).parent_path();
}

CudaPlugin loadPlugin() {
    CudaPlugin p;
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("NEURITE_CUDA_PLUGIN"); env && *env)
        candidates.emplace_back(env);
    const std::filesystem::path dir = executableDir();
    if (!dir.empty()) {
        candidates.push_back(dir / "libneurite_cuda.so");
        candidates.push_back(dir / ".." / "lib" / "neurite" / "libneurite_cuda.so");
    }
    std::string looked;
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!std::filesystem::exists(c, ec)) {
            looked += (looked.empty() ? "" : ", ") + c.lexically_normal().string();
            continue;
        }
        p.path = c.lexically_normal().string();
        void* handle = dlopen(p.path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = dlerror();
            p.problem = "the CUDA backend " + p.path + " cannot be loaded: " +
                        (why ? why : "unknown dlopen error") +
                        " (cuBLAS 13 and cuDNN 9 must be installed and on the library path)";
            return p;
        }
        auto abi = reinterpret_cast<NeuriteCudaAbiFn>(dlsym(handle, NEURITE_CUDA_ABI_SYMBOL));
        p.create = reinterpret_cast<NeuriteCudaCreateFn>(dlsym(handle, NEURITE_CUDA_CREATE_SYMBOL));
        p.setMemoryCap = reinterpret_cast<NeuriteCudaSetMemoryCapFn>(
            dlsym(handle, NEURITE_CUDA_SET_MEMORY_CAP_SYMBOL));
        if (!abi || !p.create || !p.setMemoryCap) {
            p.problem = "the CUDA backend " + p.path + " is not a Neurite plugin";
            p.create = nullptr;
            return p;
        }
        p.libraryVersions = reinterpret_cast<NeuriteCudaLibraryVersionsFn>(
            dlsym(handle, NEURITE_CUDA_LIBRARY_VERSIONS_SYMBOL));
        if (abi() != NEURITE_CUDA_PLUGIN_ABI) {
            p.problem = "the CUDA backend " + p.path + " belongs to another version of Neurite";
            p.create = nullptr;
            return p;
        }
        return p;  // never unloaded: its backends live until the program exits
    }
    p.problem = "the CUDA backend plugin libneurite_cuda.so is not installed (looked in " +
                looked + "); this build was made without cuDNN or the file was removed";
    return p;
}

const CudaPlugin& plugin() {
    static const CudaPlugin p = loadPlugin();
    return p;
}

const cuda::ProbeResult& probeOnce() {
    static const cuda::ProbeResult r = cuda::probe();
    return r;
}

// The backends made by the plugin, one per GPU index. Deliberately never destroyed: at exit the
// CUDA runtime may already be torn down, and destroying cuBLAS/cuDNN handles then can crash.
std::map<int, std::unique_ptr<Backend>>& cudaBackends() {
    static auto* backends = new std::map<int, std::unique_ptr<Backend>>();
    return *backends;
}

// Why no GPU can train, or "" when cuda:index can be tried. Caller holds g_mutex.
std::string cudaProblem(int index) {
    const cuda::ProbeResult& probe = probeOnce();
    if (!probe.problem.empty()) return probe.problem;
    const int count = static_cast<int>(probe.gpus.size());
    if (index < 0 || index >= count)
        return "cuda:" + std::to_string(index) + " does not exist; this machine has " +
               std::to_string(count) + (count == 1 ? " GPU (cuda:0)" : " GPUs");
    return plugin().problem;
}

// NEURITE_GPU_MEMORY_CAP_MIB caps each GPU backend when setGpuMemoryCap was not called.
std::size_t envMemoryCap() {
    const char* env = std::getenv("NEURITE_GPU_MEMORY_CAP_MIB");
    if (!env || !*env) return 0;
    char* end = nullptr;
    const unsigned long long mib = std::strtoull(env, &end, 10);
    if (*end != '\0' || mib == 0)
        throwBadInput(std::string("NEURITE_GPU_MEMORY_CAP_MIB must be a positive number of MiB, "
                                  "got '") + env + "'");
    return static_cast<std::size_t>(mib) << 20;
}

// Creates (once) the backend of cuda:index; throws Unsupported with the reason when it cannot.
Backend& cudaBackend(int index) {
    auto& backends = cudaBackends();
    if (auto it = backends.find(index); it != backends.end()) return *it->second;
    const std::string problem = cudaProblem(index);
    if (!problem.empty()) throw Error(ErrorKind::Unsupported, problem);
    const std::size_t cap = g_gpuMemoryCap ? g_gpuMemoryCap : envMemoryCap();
    char error[1024] = {};
    Backend* b = plugin().create(index, error, sizeof error);
    if (!b)
        throw Error(ErrorKind::Unsupported,
                    "cuda:" + std::to_string(index) + " cannot start: " + error);
    if (cap) plugin().setMemoryCap(b, cap);
    return *backends.emplace(index, std::unique_ptr<Backend>(b)).first->second;
}

std::string gpuNote(std::vector<DeviceEntry>& out) {
    const cuda::ProbeResult& probe = probeOnce();
    if (!probe.problem.empty()) return probe.problem;
    const std::string problem = plugin().problem;
    for (const auto& g : probe.gpus) {
        char details[96];
        std::snprintf(details, sizeof details, "%.1f GiB, compute capability %d.%d", g.memoryGiB,
                      g.major, g.minor);
        out.push_back({"cuda:" + std::to_string(g.index), g.name, details, problem.empty(),
                       problem});
    }
    if (probe.gpus.empty()) return "no CUDA device found";
    return problem;
}

int cudaIndex(const std::string& spec) {
    if (spec == "cuda") return 0;
    const std::string digits = spec.substr(5);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
        throwBadInput("unknown device '" + spec + "'; use auto, cpu, cuda or cuda:N");
    return std::stoi(digits);
}

#else

std::string gpuNote(std::vector<DeviceEntry>& out) {
    (void)out;
    return "this build of Neurite has no CUDA support (built without nvcc)";
}

#endif

}  // namespace

DeviceList listDevices() {
    DeviceList list;
    const cpu::CpuInfo info = cpu::cpuInfo();
    std::string details = std::to_string(info.cores) + " cores, " + info.isa + ", bf16 " +
                          (info.bf16 ? "yes" : "no (" + info.bf16Reason + ")");
    list.devices.push_back({"cpu", info.model, details, true, ""});
    std::lock_guard<std::mutex> lock(g_mutex);
    list.gpuNote = gpuNote(list.devices);
    return list;
}

Backend& backendFor(const std::string& spec, std::string* note) {
    static std::unique_ptr<Backend> cpuBackend;
    std::lock_guard<std::mutex> lock(g_mutex);
    auto cpu = [&]() -> Backend& {
        if (!cpuBackend) cpuBackend = cpu::makeCpuBackend();
        return *cpuBackend;
    };
    if (spec == "cpu") return cpu();
    if (spec == "auto") {
#ifdef NEURITE_HAVE_CUDA
        try {
            Backend& gpu = cudaBackend(0);
            if (note) *note = "device auto: using " + gpu.name();
            return gpu;
        } catch (const Error& e) {
            if (note) *note = std::string("device auto: using the CPU (") + e.what() + ")";
            return cpu();
        }
#else
        if (note) {
            std::vector<DeviceEntry> gpus;
            *note = "device auto: using the CPU (" + gpuNote(gpus) + ")";
        }
        return cpu();
#endif
    }
    if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
#ifdef NEURITE_HAVE_CUDA
        const int index = cudaIndex(spec);
        try {
            return cudaBackend(index);
        } catch (const Error& e) {
            throw Error(ErrorKind::Unsupported, "cannot train on " + spec + ": " + e.what() +
                                                    "; use --device cpu");
        }
#else
        std::vector<DeviceEntry> gpus;
        throw Error(ErrorKind::Unsupported, "cannot train on " + spec + ": " + gpuNote(gpus) +
                                                "; use --device cpu");
#endif
    }
    throwBadInput("unknown device '" + spec + "'; use auto, cpu, cuda or cuda:N");
}

std::string cudaLibraryVersions() {
#ifdef NEURITE_HAVE_CUDA
    std::lock_guard<std::mutex> lock(g_mutex);
    const CudaPlugin& p = plugin();
    if (!p.problem.empty()) return "not loaded: " + p.problem;
    if (!p.libraryVersions) return "loaded (the plugin does not report versions)";
    char text[128] = {};
    p.libraryVersions(text, sizeof text);
    return text;
#else
    return "not loaded (no CUDA support in this build)";
#endif
}

void setGpuMemoryCap(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_gpuMemoryCap = bytes;
#ifdef NEURITE_HAVE_CUDA
    for (auto& [index, backend] : cudaBackends()) plugin().setMemoryCap(backend.get(), bytes);
#endif
}

}  // namespace neurite
