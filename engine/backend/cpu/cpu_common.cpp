// oneDNN engine/stream, error translation, pre-bound primitive steps, scratchpad and reorders.
#include "backend/cpu/cpu_common.h"

#include "backend/cpu/cpu_backend.h"

namespace neurite::cpu {

using dnnl::memory;

dnnl::engine& cpuEngine() {
    static dnnl::engine engine = dnnlCall("creating the CPU engine",
                                          [] { return dnnl::engine(dnnl::engine::kind::cpu, 0); });
    return engine;
}

dnnl::stream& cpuStream() {
    thread_local dnnl::stream stream =
        dnnlCall("creating a CPU stream", [] { return dnnl::stream(cpuEngine()); });
    return stream;
}

void throwDnnl(const dnnl::error& e, const std::string& what) {
    std::string message = "oneDNN failed " + what + ": " + e.what() + " (status " +
                          std::to_string(static_cast<int>(e.status)) + ")";
    if (e.status == dnnl_unimplemented)
        throw Error(ErrorKind::Unsupported,
                    message + "; oneDNN has no CPU implementation for this configuration");
    if (e.status == dnnl_out_of_memory)
        throw Error(ErrorKind::Internal, message + "; reduce the batch size or the model size");
    throw Error(ErrorKind::Internal, message);
}

Step::Step(dnnl::primitive primitive, std::vector<std::pair<int, memory>> args)
    : m_primitive(std::move(primitive)) {
    for (auto& [arg, mem] : args) {
        if (!mem) continue;
        m_args.push_back({arg, mem.get()});
        m_memories.push_back(std::move(mem));
    }
}

void Step::run() const {
    dnnl_status_t status = dnnl_primitive_execute(m_primitive.get(), cpuStream().get(),
                                                  static_cast<int>(m_args.size()), m_args.data());
    if (status != dnnl_success)
        throwDnnl(dnnl::error(status, "could not execute a primitive"), "executing a primitive");
}

dnnl::primitive_attr Scratchpad::attr() const {
    dnnl::primitive_attr a;
    a.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return a;
}

memory Scratchpad::bind(const memory::desc& md) {
    if (md.get_size() == 0) return {};
    memory m(md, cpuEngine(), DNNL_MEMORY_NONE);
    m_bytes = std::max(m_bytes, md.get_size());
    m_bound.push_back(m);
    return m;
}

void Scratchpad::finish() {
    if (m_bytes == 0) return;
    memory::dims dims{static_cast<memory::dim>(m_bytes)};
    m_buffer = memory({dims, memory::data_type::u8, memory::format_tag::a}, cpuEngine());
    for (auto& m : m_bound)
        m.set_data_handle(m_buffer.get_data_handle());
}

memory userMemory(const memory::dims& dims, memory::format_tag tag, memory::data_type type) {
    return memory({dims, type, tag}, cpuEngine(), DNNL_MEMORY_NONE);
}

Staged stageIn(const memory& user, const memory::desc& want, Scratchpad& pad) {
    if (user.get_desc() == want) return {user, {}};
    memory inner(want, cpuEngine());
    dnnl::reorder::primitive_desc pd(cpuEngine(), user.get_desc(), cpuEngine(), want, pad.attr());
    Step step(dnnl::reorder(pd), {{DNNL_ARG_FROM, user},
                                  {DNNL_ARG_TO, inner},
                                  {DNNL_ARG_SCRATCHPAD, pad.bind(pd.scratchpad_desc())}});
    return {inner, std::move(step)};
}

Staged stageOut(const memory& user, const memory::desc& have, Scratchpad& pad) {
    if (user.get_desc() == have) return {user, {}};
    memory inner(have, cpuEngine());
    dnnl::reorder::primitive_desc pd(cpuEngine(), have, cpuEngine(), user.get_desc(), pad.attr());
    Step step(dnnl::reorder(pd), {{DNNL_ARG_FROM, inner},
                                  {DNNL_ARG_TO, user},
                                  {DNNL_ARG_SCRATCHPAD, pad.bind(pd.scratchpad_desc())}});
    return {inner, std::move(step)};
}

memory::data_type computeType(DType compute, const char* plan) {
    if (compute == DType::F32) return memory::data_type::f32;
    if (compute != DType::BF16)
        throw Error(ErrorKind::Unsupported, std::string(plan) + ": cannot compute in " +
                                                nameOf(compute) + "; use fp32 or bf16");
    const CpuInfo info = cpuInfo();
    if (!info.bf16) throw Error(ErrorKind::Unsupported, std::string(plan) + ": " + info.bf16Reason);
    return memory::data_type::bf16;
}

void requireF32(const Tensor& t, const char* what) {
    if (!t.defined() || t.dtype() != DType::F32 || !t.device().isCpu())
        throwInternal(std::string(what) + ": expected a defined f32 tensor on the CPU, got " +
                      nameOf(t.dtype()) + " " + t.shape().str() + " on " + t.device().str());
}

void requireNumel(const Tensor& t, int64_t numel, const char* what) {
    requireF32(t, what);
    if (t.numel() != numel)
        throwInternal(std::string(what) + ": expected " + std::to_string(numel) +
                      " elements, got " + t.shape().str());
}

void requireSameNumel(const Tensor& a, const Tensor& b, const char* what) {
    requireF32(a, what);
    requireNumel(b, a.numel(), what);
}

} // namespace neurite::cpu
