// The naive formula of each function of the family (issue 3), as a user would write
// it: the baselines our kernels must beat. CMake compiles this file twice:
//
//   naive_O2        -O2: one libm call per element, no vectorization (the issue's
//                   "scalar -O2 loop");
//   naive_fastmath  -O3 -march=native -ffast-math -mprefer-vector-width=512, the
//                   issue's exact flags: GCC vectorizes expf/logf/log1pf through
//                   glibc's libmvec with 512-bit vectors (clang needs
//                   -fveclib=libmvec, which CMake adds).
//
// LOGISTIC_BENCH_NAIVE is the TU's name (naive_O2 or naive_fastmath); it names both
// the rows ("silu.naive_O2") and the function that registers them. Like every TU
// built with special flags this one includes only bench.hpp and <cmath>, and keeps its
// loops in an anonymous namespace (see bench.hpp).
#include "bench.hpp"

#include <cmath>

#ifndef LOGISTIC_BENCH_NAIVE
#error "CMake defines LOGISTIC_BENCH_NAIVE to naive_O2 or naive_fastmath"
#endif
#define LOGISTIC_BENCH_NAIVE_STR2(x) #x
#define LOGISTIC_BENCH_NAIVE_STR(x) LOGISTIC_BENCH_NAIVE_STR2(x)
#define LOGISTIC_BENCH_NAIVE_ROW(function) function "." LOGISTIC_BENCH_NAIVE_STR(LOGISTIC_BENCH_NAIVE)
#define LOGISTIC_BENCH_CAT2(a, b) a##b
#define LOGISTIC_BENCH_CAT(a, b) LOGISTIC_BENCH_CAT2(a, b)

namespace {

template <class T>
T naive_sigmoid(T x) { return T(1) / (T(1) + std::exp(-x)); }

// logit as written from its definition, and in the form that avoids 1 - p's division.
template <class T>
void logit_ratio(const T* p, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::log(p[i] / (T(1) - p[i]));
}
template <class T>
void logit_log1p(const T* p, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::log(p[i]) - std::log1p(-p[i]);
}

template <class T>
void sigmoid_affine(const T* in, T* out, std::size_t n) {
    const T scale = static_cast<T>(logistic_bench::affine_scale);
    const T bias = static_cast<T>(logistic_bench::affine_bias);
    for (std::size_t i = 0; i < n; ++i) out[i] = T(1) / (T(1) + std::exp(-(scale * in[i] + bias)));
}

template <class T>
void sigmoid_grad(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const T s = naive_sigmoid(in[i]);
        out[i] = s * (T(1) - s);
    }
}

template <class T>
void sigmoid_backward(const T* y, const T* dy, T* dx, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (T(1) - y[i]);
}

// log(1 / (1 + e^-x)) is what the definition says; -log1p(e^-x) is the same formula
// with its obvious fix, and what the issue asks to time.
template <class T>
void log_sigmoid(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = -std::log1p(std::exp(-in[i]));
}

template <class T>
void softplus(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = std::log1p(std::exp(in[i]));
}

template <class T>
void silu(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = in[i] / (T(1) + std::exp(-in[i]));
}

template <class T>
void silu_grad(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const T s = naive_sigmoid(in[i]);
        out[i] = s * (T(1) + in[i] * (T(1) - s));
    }
}

}  // namespace

void logistic_bench::LOGISTIC_BENCH_CAT(add_rows_, LOGISTIC_BENCH_NAIVE)() {
    using f = function_id;
    add_family_row(f::logit, LOGISTIC_BENCH_NAIVE_ROW("logit"), {logit_ratio<float>},
                   {logit_ratio<double>});
    add_family_row(f::logit, LOGISTIC_BENCH_NAIVE_ROW("logit.log1p"), {logit_log1p<float>},
                   {logit_log1p<double>});
    add_family_row(f::sigmoid_affine, LOGISTIC_BENCH_NAIVE_ROW("sigmoid_affine"),
                   {sigmoid_affine<float>}, {sigmoid_affine<double>});
    add_family_row(f::sigmoid_grad, LOGISTIC_BENCH_NAIVE_ROW("sigmoid_grad"),
                   {sigmoid_grad<float>}, {sigmoid_grad<double>});
    kernel<float> backward_f32;
    backward_f32.run2 = sigmoid_backward<float>;
    kernel<double> backward_f64;
    backward_f64.run2 = sigmoid_backward<double>;
    add_family_row(f::sigmoid_backward, LOGISTIC_BENCH_NAIVE_ROW("sigmoid_backward"),
                   backward_f32, backward_f64);
    add_family_row(f::log_sigmoid, LOGISTIC_BENCH_NAIVE_ROW("log_sigmoid"),
                   {log_sigmoid<float>}, {log_sigmoid<double>});
    add_family_row(f::softplus, LOGISTIC_BENCH_NAIVE_ROW("softplus"), {softplus<float>},
                   {softplus<double>});
    add_family_row(f::silu, LOGISTIC_BENCH_NAIVE_ROW("silu"), {silu<float>}, {silu<double>});
    add_family_row(f::silu_grad, LOGISTIC_BENCH_NAIVE_ROW("silu_grad"), {silu_grad<float>},
                   {silu_grad<double>});
}
