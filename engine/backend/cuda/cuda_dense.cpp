// DensePlan on cuBLAS. Row-major tensors are column-major transposes, so each product is written
// for the transposes (C^T = B^T A^T) with the leading dimensions of the row-major shapes:
//   forward        dst^T[O,N]  = W src^T    : gemm(T, N, m=O, n=N, k=I, W ld I, src ld I, dst ld O)
//   backward data  dsrc^T[I,N] = W^T dy^T  : gemm(N, N, m=I, n=N, k=O, W ld I, dy ld O, dsrc ld I)
//   backward W     dW^T[I,O]   = src^T dy  : gemm(N, T, m=I, n=O, k=N, src ld I, dy ld O, dW ld I)
// Bias add and bias gradient are own kernels. compute = BF16 uses tensor cores with bf16 inputs
// and fp32 accumulation (CUBLAS_COMPUTE_32F_FAST_16BF) on the same fp32 tensors.
#include "backend/cuda/cuda_common.h"

namespace neurite::cuda {

namespace {

class CudaDensePlan final : public DensePlan {
public:
    CudaDensePlan(const DenseDesc& d, Context& ctx)
        : m_desc(d), m_ctx(ctx),
          m_label("dense " + std::to_string(d.inputs) + "->" + std::to_string(d.outputs)) {
        checkDenseDesc(d);
        if (d.compute == DType::F32) {
            m_compute = CUBLAS_COMPUTE_32F;
        } else if (d.compute == DType::BF16) {
            if (ctx.computeMajor < 8)
                throw Error(ErrorKind::Unsupported,
                            "bf16 dense layers need a GPU of compute capability 8.0 or newer");
            m_compute = CUBLAS_COMPUTE_32F_FAST_16BF;
        } else {
            throw Error(ErrorKind::Unsupported, std::string("dense plan: ") + nameOf(d.compute) +
                                                    " is not a compute type; use fp32 or bf16");
        }
        if (d.bias) {
            const auto entered = ctx.enter();
            m_partials = Buffer(*ctx.allocator, static_cast<std::size_t>(d.outputs * biasGradChunks(d.batch, 1)) *
                                                    sizeof(double));
        }
    }

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        const DenseDesc& d = m_desc;
        requireNumel(src, d.batch * d.inputs, "dense forward src");
        requireNumel(weights, d.outputs * d.inputs, "dense forward weights");
        requireNumel(dst, d.batch * d.outputs, "dense forward dst");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        gemm(CUBLAS_OP_T, CUBLAS_OP_N, d.outputs, d.batch, d.inputs, weights.raw(), d.inputs,
             src.raw(), d.inputs, dst.raw(), d.outputs, "dense forward (cublasGemmEx)");
        if (d.bias) {
            if (!bias) throwInternal("dense forward: the plan has a bias but none was given");
            requireNumel(*bias, d.outputs, "dense forward bias");
            check(launchAddBias(f32(dst), f32(*bias), d.batch, d.outputs, 1, m_ctx.stream),
                  "dense bias add");
        }
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        const DenseDesc& d = m_desc;
        requireNumel(diffDst, d.batch * d.outputs, "dense backward diffDst");
        requireNumel(weights, d.outputs * d.inputs, "dense backward weights");
        requireNumel(diffSrc, d.batch * d.inputs, "dense backward diffSrc");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        gemm(CUBLAS_OP_N, CUBLAS_OP_N, d.inputs, d.batch, d.outputs, weights.raw(), d.inputs,
             diffDst.raw(), d.outputs, diffSrc.raw(), d.inputs, "dense backward data");
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        const DenseDesc& d = m_desc;
        requireNumel(src, d.batch * d.inputs, "dense backward src");
        requireNumel(diffDst, d.batch * d.outputs, "dense backward diffDst");
        requireNumel(diffWeights, d.outputs * d.inputs, "dense backward diffWeights");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        gemm(CUBLAS_OP_N, CUBLAS_OP_T, d.inputs, d.outputs, d.batch, src.raw(), d.inputs,
             diffDst.raw(), d.outputs, diffWeights.raw(), d.inputs, "dense backward weights");
        if (d.bias && diffBias) {
            requireNumel(*diffBias, d.outputs, "dense backward diffBias");
            check(launchBiasGrad(f32(diffDst), f32(*diffBias), d.batch, d.outputs, 1,
                                 m_partials.as<double>(), m_ctx.stream),
                  "dense bias gradient");
        }
    }

private:
    // C = op(A) op(B) in cuBLAS's column-major terms, fp32 storage, beta = 0 (overwrite).
    void gemm(cublasOperation_t ta, cublasOperation_t tb, int64_t m, int64_t n, int64_t k,
              const void* a, int64_t lda, const void* b, int64_t ldb, void* c, int64_t ldc,
              const char* what) {
        const float one = 1.f, zero = 0.f;
        check(cublasGemmEx(m_ctx.cublas, ta, tb, static_cast<int>(m), static_cast<int>(n),
                           static_cast<int>(k), &one, a, CUDA_R_32F, static_cast<int>(lda), b,
                           CUDA_R_32F, static_cast<int>(ldb), &zero, c, CUDA_R_32F,
                           static_cast<int>(ldc), m_compute, CUBLAS_GEMM_DEFAULT),
              what);
    }

    DenseDesc m_desc;
    Context& m_ctx;
    std::string m_label;  // names the plan's calls in the profile
    cublasComputeType_t m_compute = CUBLAS_COMPUTE_32F;
    Buffer m_partials;  // the bias gradient's partial sums (launchBiasGrad)
};

}  // namespace

std::unique_ptr<DensePlan> makeDensePlan(const DenseDesc& desc, Context& ctx) {
    const int64_t limit = 2147483647;
    if (desc.batch > limit || desc.inputs > limit || desc.outputs > limit)
        throw Error(ErrorKind::Unsupported, "dense plan: sizes above 2^31 are not supported");
    return std::make_unique<CudaDensePlan>(desc, ctx);
}

}  // namespace neurite::cuda
