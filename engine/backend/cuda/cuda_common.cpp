// The CUDA backend's status checks, context helpers and tensor checks (cuda_common.h).
#include "backend/cuda/cuda_common.h"

namespace neurite::cuda {

void check(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    cudaGetLastError();  // clear a non-sticky error so the next call does not report it again
    if (status == cudaErrorMemoryAllocation)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": out of GPU memory; reduce the batch size or the model");
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + cudaGetErrorName(status) +
                                         " (" + cudaGetErrorString(status) + ")");
}

void check(cublasStatus_t status, const char* what) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    const std::string text = std::string(cublasGetStatusName(status)) + " (" +
                             cublasGetStatusString(status) + ")";
    if (status == CUBLAS_STATUS_ALLOC_FAILED)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": cuBLAS ran out of GPU memory: " + text);
    if (status == CUBLAS_STATUS_NOT_SUPPORTED || status == CUBLAS_STATUS_ARCH_MISMATCH)
        throw Error(ErrorKind::Unsupported, std::string(what) + ": " + text);
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + text);
}

void check(cudnnStatus_t status, const char* what) {
    if (status == CUDNN_STATUS_SUCCESS) return;
    char detail[512] = {};
    cudnnGetLastErrorString(detail, sizeof detail);
    std::string text = cudnnGetErrorString(status);
    if (detail[0]) text += std::string(": ") + detail;
    if (status == CUDNN_STATUS_ALLOC_FAILED)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": cuDNN ran out of GPU memory: " + text);
    if (status == CUDNN_STATUS_NOT_SUPPORTED)
        throw Error(ErrorKind::Unsupported, std::string(what) + ": " + text);
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + text);
}

std::unique_lock<std::recursive_mutex> Context::enter() const {
    if (!mutex) throwInternal("CUDA backend context without its lock");
    std::unique_lock<std::recursive_mutex> lock(*mutex);
    int current = -1;
    // Only switch when another device is current on this thread.
    if (cudaGetDevice(&current) != cudaSuccess || current != device) check(cudaSetDevice(device), "cudaSetDevice");
    return lock;
}

DeviceScalars Context::readScalars() const {
    DeviceScalars host;
    check(cudaMemcpyAsync(&host, scalars, sizeof host, cudaMemcpyDeviceToHost, stream),
          "reading a result from the GPU");
    check(cudaStreamSynchronize(stream), "waiting for the GPU");
    if (host.status.code != 0) {
        check(cudaMemsetAsync(&scalars->status, 0, sizeof(DeviceStatus), stream),
              "clearing the GPU status");
        throwStatus(host.status);
    }
    return host;
}

void Context::throwStatus(const DeviceStatus& s) const {
    switch (s.code) {
    case 0: return;
    case kStatusBadRow:
        throwBadInput("gatherRows: row index " + std::to_string(s.a) + " is outside the data's " +
                      std::to_string(s.b) + " rows");
    case kStatusBadLabelRow:
        throwBadInput("gatherLabels: row index " + std::to_string(s.a) +
                      " is outside the labels' " + std::to_string(s.b) + " rows");
    case kStatusLabelOutside:
        throwBadInput("loss: label " + std::to_string(s.a) + " of sample " + std::to_string(s.b) +
                      " is outside the model's " + std::to_string(s.c) +
                      " classes; check the label column or the size of the last layer");
    default: throwInternal("the GPU reported an unknown error code " + std::to_string(s.code));
    }
}

void requireF32(const Tensor& t, const char* what) {
    if (t.dtype() != DType::F32)
        throwInternal(std::string(what) + ": expected an fp32 tensor, got " + nameOf(t.dtype()));
}

void requireNumel(const Tensor& t, int64_t numel, const char* what) {
    if (t.numel() != numel)
        throwInternal(std::string(what) + ": expected " + std::to_string(numel) +
                      " elements, got " + t.shape().str());
}

void requireSameNumel(const Tensor& a, const Tensor& b, const char* what) {
    if (a.numel() != b.numel())
        throwInternal(std::string(what) + ": " + a.shape().str() + " and " + b.shape().str() +
                      " differ in size");
}

}  // namespace neurite::cuda
