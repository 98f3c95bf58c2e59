// The elementwise activations, one table. Each row says everything about one activation: its
// name in project files, its parameter alpha (if any), its forward formula and derivative, its
// ONNX form and a sentence of help. The CPU and CUDA backends compile their kernels from it, the
// reference backend of the tests evaluates it in double, the self-test and the backend tests
// iterate it, and the layer registry makes one layer type per row. Adding an activation is one
// row here (docs/adding-a-layer.md).
//
// Plain C++17 without engine headers, so nvcc reads it too.
#pragma once

#include <cmath>
#include <cstddef>

#if defined(__CUDACC__)
#define NEURITE_HOST_DEVICE __host__ __device__
#else
#define NEURITE_HOST_DEVICE
#endif

namespace neurite {

// Math the formulas use, for float and double, on the host and on a CUDA device alike.
namespace act {
NEURITE_HOST_DEVICE inline float exp(float x) { return ::expf(x); }
NEURITE_HOST_DEVICE inline double exp(double x) { return ::exp(x); }
NEURITE_HOST_DEVICE inline float expm1(float x) { return ::expm1f(x); }
NEURITE_HOST_DEVICE inline double expm1(double x) { return ::expm1(x); }
NEURITE_HOST_DEVICE inline float tanh(float x) { return ::tanhf(x); }
NEURITE_HOST_DEVICE inline double tanh(double x) { return ::tanh(x); }
NEURITE_HOST_DEVICE inline float erf(float x) { return ::erff(x); }
NEURITE_HOST_DEVICE inline double erf(double x) { return ::erf(x); }
constexpr double kInvSqrt2 = 0.70710678118654752440;    // 1 / sqrt(2)
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // sqrt(2 / pi)
constexpr double kNoAlpha = -1;  // the alpha column of an activation without a parameter
}  // namespace act

// X(Enum, "Name", alpha default | act::kNoAlpha, "alpha help",
//   forward y = f(x, alpha), derivative dy/dx = f'(x, y, alpha) (y is the forward's output),
//   "ONNX form", "help")
// The formulas are expressions in x, y, alpha of type T (float or double); write constants as
// T(...). The ONNX form is a nested call over x: operator names as in ONNX opset 13, [alpha]
// passes the layer's alpha as the operator's attribute of that name, numbers are float scalars
// (export/onnx_layers.cpp reads it; docs/export.md).
#define NEURITE_ACTIVATIONS(X)                                                                  \
    X(Relu, "ReLU", act::kNoAlpha, "",                                                          \
      x > T(0) ? x : T(0),                                                                      \
      x > T(0) ? T(1) : T(0),                                                                   \
      "Relu(x)", "max(x, 0): the default activation for hidden layers.")                       \
    X(LeakyRelu, "LeakyReLU", 0.01, "Slope for negative inputs.",                               \
      x > T(0) ? x : alpha * x,                                                                 \
      x > T(0) ? T(1) : alpha,                                                                  \
      "LeakyRelu[alpha](x)", "Like ReLU but lets a small slope (alpha) through for negative "   \
      "inputs.")                                                                                \
    X(Elu, "ELU", 1.0, "Scale of the negative part: alpha (e^x - 1).",                          \
      x > T(0) ? x : alpha * act::expm1(x),                                                     \
      x > T(0) ? T(1) : alpha * act::exp(x),                                                    \
      "Elu[alpha](x)", "Exponential linear unit: x for x > 0, alpha (e^x - 1) below.")          \
    X(Sigmoid, "Sigmoid", act::kNoAlpha, "",                                                    \
      T(1) / (T(1) + act::exp(-x)),                                                             \
      y * (T(1) - y),                                                                           \
      "Sigmoid(x)", "Squashes values into (0, 1).")                                             \
    X(Tanh, "Tanh", act::kNoAlpha, "",                                                          \
      act::tanh(x),                                                                             \
      T(1) - y * y,                                                                             \
      "Tanh(x)", "Squashes values into (-1, 1).")                                               \
    X(Gelu, "GELU", act::kNoAlpha, "",                                                          \
      T(0.5) * x * (T(1) + act::erf(x * T(act::kInvSqrt2))),                                    \
      T(0.5) * (T(1) + act::erf(x * T(act::kInvSqrt2))) +                                       \
          x * T(act::kInvSqrt2Pi) * act::exp(T(-0.5) * x * x),                                  \
      "Mul(x, Mul(Add(Erf(Div(x, 1.4142135623730951)), 1), 0.5))",                             \
      "Gaussian error linear unit x Phi(x) (exact erf form), the smooth ReLU of transformers.") \
    X(Relu6, "ReLU6", act::kNoAlpha, "",                                                        \
      x > T(0) ? (x < T(6) ? x : T(6)) : T(0),                                                  \
      x > T(0) && x < T(6) ? T(1) : T(0),                                                       \
      "Clip(x, 0, 6)", "min(max(x, 0), 6), as torch.nn.ReLU6: the activation of MobileNets.")   \
    X(GeluTanh, "GELUTanh", act::kNoAlpha, "",                                                  \
      T(0.5) * x * (T(1) + act::tanh(T(act::kSqrt2OverPi) * (x + T(0.044715) * x * x * x))),   \
      T(0.5) * (T(1) + act::tanh(T(act::kSqrt2OverPi) * (x + T(0.044715) * x * x * x))) +       \
          T(0.5) * x *                                                                          \
              (T(1) - act::tanh(T(act::kSqrt2OverPi) * (x + T(0.044715) * x * x * x)) *         \
                          act::tanh(T(act::kSqrt2OverPi) * (x + T(0.044715) * x * x * x))) *    \
              T(act::kSqrt2OverPi) * (T(1) + T(3 * 0.044715) * x * x),                          \
      "Mul(Mul(x, 0.5), Add(Tanh(Mul(Add(x, Mul(Mul(Mul(x, x), x), 0.044715)), "               \
      "0.7978845608028654)), 1))",                                                              \
      "GELU in its tanh approximation 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))), as "        \
      "torch.nn.GELU(approximate='tanh') (GPT-2, BERT exports).")                               \
    X(Silu, "SiLU", act::kNoAlpha, "",                                                          \
      x / (T(1) + act::exp(-x)),                                                                \
      (T(1) / (T(1) + act::exp(-x))) * (T(1) + x * (T(1) - T(1) / (T(1) + act::exp(-x)))),      \
      "Mul(x, Sigmoid(x))", "Sigmoid linear unit (swish) x sigmoid(x), as torch.nn.SiLU.")

enum class Activation {
#define NEURITE_ACTIVATION_ENUM(e, ...) e,
    NEURITE_ACTIVATIONS(NEURITE_ACTIVATION_ENUM)
#undef NEURITE_ACTIVATION_ENUM
};

// The formulas of one activation as a type, so a kernel loop is compiled once per activation
// (and vectorizes) instead of switching per element.
template <Activation A> struct ActivationFn;
#define NEURITE_ACTIVATION_FN(e, name, alpha0, alphaHelp, fwd, dfdx, ...)                      \
    template <> struct ActivationFn<Activation::e> {                                            \
        template <class T> NEURITE_HOST_DEVICE static T forward(T x, T alpha) {                \
            (void)alpha;                                                                        \
            return fwd;                                                                         \
        }                                                                                       \
        template <class T> NEURITE_HOST_DEVICE static T derivative(T x, T y, T alpha) {        \
            (void)x;                                                                            \
            (void)y;                                                                            \
            (void)alpha;                                                                        \
            return dfdx;                                                                        \
        }                                                                                       \
    };
NEURITE_ACTIVATIONS(NEURITE_ACTIVATION_FN)
#undef NEURITE_ACTIVATION_FN

// Calls f(ActivationFn<A>{}) for the runtime value `a`: kernels are written once as a generic
// lambda and dispatched here. Returns false for a value outside the table.
template <class F> bool dispatchActivation(Activation a, F&& f) {
    switch (a) {
#define NEURITE_ACTIVATION_CASE(e, ...)                                                         \
    case Activation::e:                                                                         \
        f(ActivationFn<Activation::e>{});                                                       \
        return true;
        NEURITE_ACTIVATIONS(NEURITE_ACTIVATION_CASE)
#undef NEURITE_ACTIVATION_CASE
    }
    return false;
}

// The table's descriptive columns, for the registry, the tests and the self-test.
struct ActivationInfo {
    Activation kind;
    const char* name;       // "LeakyReLU": the layer type in project files
    double defaultAlpha;    // act::kNoAlpha when the activation has no parameter
    const char* alphaHelp;
    const char* onnx;       // "LeakyRelu[alpha](x)"
    const char* help;
    bool hasAlpha() const { return defaultAlpha >= 0; }
};

inline constexpr ActivationInfo kActivations[] = {
#define NEURITE_ACTIVATION_INFO(e, name, alpha0, alphaHelp, fwd, dfdx, onnx, help)             \
    {Activation::e, name, alpha0, alphaHelp, onnx, help},
    NEURITE_ACTIVATIONS(NEURITE_ACTIVATION_INFO)
#undef NEURITE_ACTIVATION_INFO
};

inline const ActivationInfo& activationInfo(Activation a) {
    return kActivations[static_cast<std::size_t>(a)];
}

// f(x) and f'(x) for a runtime activation in type T (the reference backend, one value at a time).
template <class T> T activationValue(Activation a, T x, T alpha) {
    T out = x;
    dispatchActivation(a, [&](auto fn) { out = fn.forward(x, alpha); });
    return out;
}
template <class T> T activationDerivative(Activation a, T x, T y, T alpha) {
    T out = 0;
    dispatchActivation(a, [&](auto fn) { out = fn.derivative(x, y, alpha); });
    return out;
}

}  // namespace neurite
