// The CPU's compiled inference plan (backend.h, InferencePlan), shared by cpu_inference.cpp (the
// plan, float layers and the elementwise kernels) and cpu_inference_int8.cpp (quantization and
// the int8 layers). See cpu_inference.cpp for what the plan does.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu::inference {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

Tag plainTag(std::size_t rank);  // a, ab, abc, ...; Unsupported past rank 6
memory::dims dimsOf(const Shape& s);
memory::desc plainMd(const memory::dims& d);  // f32, row-major
int64_t product(const memory::dims& d, std::size_t from = 0);
// A convolution's weight as oneDNN reads it: [K, C, R, S], or [G, K/G, C/G, R, S] when grouped.
memory::dims convWeightDims(const ConvDesc& c);
// The post-op form of an activation, where it is exact (ReLU and LeakyReLU), and those post-ops
// (none without `act`).
bool fusable(const InferOp& op);
dnnl::post_ops postOps(const InferOp* act);
// A Dense's or Conv's float weight: as stored, or its int8 values scaled back when it has weight
// scales (cpu_inference_int8.cpp).
std::vector<float> floatWeights(const InferOp& op);

class CpuInferencePlan final : public InferencePlan {
public:
    CpuInferencePlan(const InferenceDesc& desc, const ThreadConfig& tc) : m_tc(tc) {
        m_tc.apply();
        dnnlCall("compiling the inference plan", [&] { build(desc); });
    }

    void run(const Tensor& src, Tensor& dst) override {
        requireNumel(src, m_inNumel, "compiled inference src");
        requireNumel(dst, m_outNumel, "compiled inference dst");
        m_tc.apply();
        bindData(m_in, src.raw());
        bindData(m_outDirect ? m_outValue : m_out, dst.raw());
        for (auto& [alias, source] : m_aliases)
            alias.set_data_handle(source.get_data_handle());
        dnnlCall("running the inference plan", [&] {
            for (const auto& step : m_steps)
                step();
        });
    }

    std::string summary() const override {
        std::string s = std::to_string(m_names.size()) + " steps:";
        for (std::size_t i = 0; i < m_names.size(); ++i)
            s += (i ? ", " : " ") + m_names[i];
        return s;
    }

private:
    // A result: its memory and whether the step that made it writes that memory object itself
    // (false for views: an alias of another buffer, or the program's input).
    struct Value {
        Value() = default;
        Value(memory m, bool made) : mem(std::move(m)), produced(made) {}
        memory mem;
        bool produced = false;
        memory q;           // the uint8 values when the result is quantized (plain, or the layout
                            // of the int8 primitive that wrote them); without mem, only these
        InferQuant quant;   // and how
        memory::dims dims() const { return (mem ? mem : q).get_desc().dims(); }
    };

    void add(std::string name, std::function<void()> step) {
        m_names.push_back(std::move(name));
        m_steps.push_back(std::move(step));
    }
    void addPrimitive(std::string name, dnnl::primitive p, std::vector<std::pair<int, memory>> args) {
        auto step = std::make_shared<Step>(std::move(p), std::move(args));
        add(std::move(name), [step] { step->run(); });
    }

    // `from` in layout `want` (same dims): itself, or a new buffer filled by a reorder step.
    Value reorderTo(const Value& from, const memory::desc& want, const std::string& why) {
        Staged staged = stageIn(from.mem, want, m_pad);
        if (!staged.reorder.defined()) return from;
        add("reorder for " + why, [step = std::make_shared<Step>(std::move(staged.reorder))] { step->run(); });
        return {staged.mem, true};
    }
    // The same values in the plain row-major layout of `dims` (same element count): a view of
    // the buffer when it is plain already.
    Value viewAs(const Value& v, const memory::dims& dims, const std::string& why) {
        if (v.dims() == dims) return v;
        const Value plain = reorderTo(v, plainMd(v.dims()), why);
        if (plain.mem.get_desc() == plainMd(dims)) return plain;
        memory alias(plainMd(dims), cpuEngine(), plain.mem.get_data_handle());
        m_aliases.emplace_back(alias, plain.mem);
        return {alias, false};
    }
    // Elementwise kernels run over the whole buffer, padding included: only on layouts without
    // padding (a blocked layout pads channels up to the block).
    Value unpadded(const Value& v, const std::string& why) {
        if (v.mem.get_desc().get_size() == static_cast<std::size_t>(product(v.dims())) * sizeof(float)) return v;
        return reorderTo(v, plainMd(v.dims()), why);
    }
    // A weight or bias in layout `want`, copied from the model's tensor (or host values) now.
    static memory constant(const Tensor& t, const memory::dims& dims, Tag userTag, const memory::desc& want) {
        return constant(const_cast<void*>(t.raw()), Dt::f32, dims, userTag, want);
    }
    static memory constant(void* host, Dt type, const memory::dims& dims, Tag userTag, const memory::desc& want) {
        memory user({dims, type, userTag}, cpuEngine(), host);
        memory out(want, cpuEngine());
        dnnl::reorder(user, out).execute(cpuStream(), user, out);
        cpuStream().wait();
        return out;
    }
    // An int8 primitive's result: floats, or with requant the uint8 values alone.
    static Value int8Result(const memory::desc& dst, const InferQuant* requant) {
        if (!requant) return {memory(dst, cpuEngine()), true};
        Value v;
        v.produced = true;
        v.q = memory(dst, cpuEngine());
        v.quant = *requant;
        return v;
    }

    void build(const InferenceDesc& d);
    Value quantized(const Value& v, const InferQuant& quant, bool needFloat, const std::string& name);
    // requant (int8 layers only): write the result as uint8 of this quantization (zero point 0)
    // instead of floats, a value without mem.
    void conv(const InferOp& op, const Value& in, const InferOp* act, Value& out);
    void convInt8(const InferOp& op, const Value& in, const InferOp* act, const InferQuant* requant, Value& out);
    void dense(const InferOp& op, const Value& in, const InferOp* act, const InferQuant* requant, Value& out);
    void denseInt8(const InferOp& op, const Value& in, const memory::dims& srcDims, const InferOp* act,
                   const InferQuant* requant, Value& out);
    void elementwise(const InferOp& op, std::span<const Value> in, Value& out);

    ThreadConfig m_tc;
    Scratchpad m_pad;
    std::vector<std::function<void()>> m_steps;
    std::vector<std::string> m_names;
    std::vector<std::pair<memory, memory>> m_aliases;  // (view, buffer it views), made in order
    memory m_in, m_out, m_outValue;
    bool m_outDirect = false;
    int64_t m_inNumel = 0, m_outNumel = 0;
};

}  // namespace neurite::cpu::inference
