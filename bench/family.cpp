// Our kernels of the logistic family (issue 3) for one architecture: the rows
// "<function>.<arch>" (faithful) and "fast::<function>.<arch>". Compiled once per
// architecture, like kernels.cpp (CMake sets the -m flags and LOGISTIC_BENCH_ARCH).
//
// Each function's header is included only if it exists, and its rows are registered
// only then: the benchmark builds with whatever part of the family is written, and
// picks up the rest when it appears. The affine form of the sigmoid has no header of
// its own to test for; it is detected by overload resolution (has_affine_sigmoid).
#include "bench.hpp"

#include <logistic/logistic.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

#if __has_include(<logistic/logit.hpp>)
#include <logistic/logit.hpp>
#define LOGISTIC_BENCH_LOGIT 1
#endif
#if __has_include(<logistic/softplus.hpp>)
#include <logistic/softplus.hpp>  // softplus and log_sigmoid
#define LOGISTIC_BENCH_SOFTPLUS 1
#endif
#if __has_include(<logistic/sigmoid_grad.hpp>)
#include <logistic/sigmoid_grad.hpp>  // sigmoid_grad and sigmoid_backward
#define LOGISTIC_BENCH_SIGMOID_GRAD 1
#endif
#if __has_include(<logistic/silu.hpp>)
#include <logistic/silu.hpp>  // silu and silu_grad
#define LOGISTIC_BENCH_SILU 1
#endif
#if __has_include(<logistic/affine.hpp>)
#include <logistic/affine.hpp>
#endif

#ifndef LOGISTIC_BENCH_ARCH
#error "CMake defines LOGISTIC_BENCH_ARCH to the architecture name (avx512, avx2, native)"
#endif
#define LOGISTIC_BENCH_CAT2(a, b) a##b
#define LOGISTIC_BENCH_CAT(a, b) LOGISTIC_BENCH_CAT2(a, b)

namespace {

// A function pointer for each array form: `faithful_<f>` and `fast_<f>`.
#define LOGISTIC_BENCH_ARRAY_ROW(prefix, function, call)                     \
    template <class T>                                                         \
    void prefix##function(const T* in, T* out, std::size_t n) {                \
        call(in, out, n);                                                      \
    }

#if LOGISTIC_BENCH_LOGIT
LOGISTIC_BENCH_ARRAY_ROW(faithful_, logit, logistic::logit)
#endif
#if LOGISTIC_BENCH_SOFTPLUS
LOGISTIC_BENCH_ARRAY_ROW(faithful_, softplus, logistic::softplus)
LOGISTIC_BENCH_ARRAY_ROW(fast_, softplus, logistic::fast::softplus)
LOGISTIC_BENCH_ARRAY_ROW(faithful_, log_sigmoid, logistic::log_sigmoid)
LOGISTIC_BENCH_ARRAY_ROW(fast_, log_sigmoid, logistic::fast::log_sigmoid)
#endif
#if LOGISTIC_BENCH_SIGMOID_GRAD
LOGISTIC_BENCH_ARRAY_ROW(faithful_, sigmoid_grad, logistic::sigmoid_grad)
LOGISTIC_BENCH_ARRAY_ROW(fast_, sigmoid_grad, logistic::fast::sigmoid_grad)
template <class T>
void faithful_sigmoid_backward(const T* y, const T* dy, T* dx, std::size_t n) {
    logistic::sigmoid_backward(y, dy, dx, n);
}
#endif
#if LOGISTIC_BENCH_SILU
LOGISTIC_BENCH_ARRAY_ROW(faithful_, silu, logistic::silu)
LOGISTIC_BENCH_ARRAY_ROW(fast_, silu, logistic::fast::silu)
LOGISTIC_BENCH_ARRAY_ROW(faithful_, silu_grad, logistic::silu_grad)
LOGISTIC_BENCH_ARRAY_ROW(fast_, silu_grad, logistic::fast::silu_grad)
#endif

// Whether logistic::sigmoid(in, out, n, affine<T>{scale, bias}) (and its fast form)
// exists yet. The braced list converts to affine<T> without naming it, so this
// compiles before affine<T> is declared.
template <class T, class = void>
struct has_affine_sigmoid : std::false_type {};
template <class T>
struct has_affine_sigmoid<T, std::void_t<decltype(logistic::sigmoid(
                                 std::declval<const T*>(), std::declval<T*>(), std::size_t{},
                                 {std::declval<T>(), std::declval<T>()}))>> : std::true_type {};
template <class T, class = void>
struct has_fast_affine_sigmoid : std::false_type {};
template <class T>
struct has_fast_affine_sigmoid<T, std::void_t<decltype(logistic::fast::sigmoid(
                                      std::declval<const T*>(), std::declval<T*>(),
                                      std::size_t{}, {std::declval<T>(), std::declval<T>()}))>>
    : std::true_type {};

template <class T>
void faithful_sigmoid_affine([[maybe_unused]] const T* in, [[maybe_unused]] T* out,
                             [[maybe_unused]] std::size_t n) {
    if constexpr (has_affine_sigmoid<T>::value) {
        logistic::sigmoid(in, out, n,
                          {static_cast<T>(logistic_bench::affine_scale),
                           static_cast<T>(logistic_bench::affine_bias)});
    }
}

template <class T>
void fast_sigmoid_affine([[maybe_unused]] const T* in, [[maybe_unused]] T* out,
                         [[maybe_unused]] std::size_t n) {
    if constexpr (has_fast_affine_sigmoid<T>::value) {
        logistic::fast::sigmoid(in, out, n,
                                {static_cast<T>(logistic_bench::affine_scale),
                                 static_cast<T>(logistic_bench::affine_bias)});
    }
}

}  // namespace

#define LOGISTIC_BENCH_FAMILY_ROW(id, name, function)                                     \
    add_family_row(function_id::id, name "." LOGISTIC_BENCH_STR(LOGISTIC_BENCH_ARCH),     \
                   {function<float>}, {function<double>})

void logistic_bench::LOGISTIC_BENCH_CAT(add_family_rows_, LOGISTIC_BENCH_ARCH)() {
#if LOGISTIC_BENCH_LOGIT
    LOGISTIC_BENCH_FAMILY_ROW(logit, "logit", faithful_logit);
#endif
    if (has_affine_sigmoid<float>::value && has_affine_sigmoid<double>::value)
        LOGISTIC_BENCH_FAMILY_ROW(sigmoid_affine, "sigmoid_affine", faithful_sigmoid_affine);
    if (has_fast_affine_sigmoid<float>::value && has_fast_affine_sigmoid<double>::value)
        LOGISTIC_BENCH_FAMILY_ROW(sigmoid_affine, "fast::sigmoid_affine", fast_sigmoid_affine);
#if LOGISTIC_BENCH_SIGMOID_GRAD
    LOGISTIC_BENCH_FAMILY_ROW(sigmoid_grad, "sigmoid_grad", faithful_sigmoid_grad);
    LOGISTIC_BENCH_FAMILY_ROW(sigmoid_grad, "fast::sigmoid_grad", fast_sigmoid_grad);
    {
        kernel<float> f32;
        f32.run2 = faithful_sigmoid_backward<float>;
        kernel<double> f64;
        f64.run2 = faithful_sigmoid_backward<double>;
        add_family_row(function_id::sigmoid_backward,
                       LOGISTIC_BENCH_ROW("sigmoid_backward"), f32, f64);
    }
#endif
#if LOGISTIC_BENCH_SOFTPLUS
    LOGISTIC_BENCH_FAMILY_ROW(log_sigmoid, "log_sigmoid", faithful_log_sigmoid);
    LOGISTIC_BENCH_FAMILY_ROW(log_sigmoid, "fast::log_sigmoid", fast_log_sigmoid);
    LOGISTIC_BENCH_FAMILY_ROW(softplus, "softplus", faithful_softplus);
    LOGISTIC_BENCH_FAMILY_ROW(softplus, "fast::softplus", fast_softplus);
#endif
#if LOGISTIC_BENCH_SILU
    LOGISTIC_BENCH_FAMILY_ROW(silu, "silu", faithful_silu);
    LOGISTIC_BENCH_FAMILY_ROW(silu, "fast::silu", fast_silu);
    LOGISTIC_BENCH_FAMILY_ROW(silu_grad, "silu_grad", faithful_silu_grad);
    LOGISTIC_BENCH_FAMILY_ROW(silu_grad, "fast::silu_grad", fast_silu_grad);
#endif
}
