// The baselines of bench/bce.cpp, compiled -O3 -march=native -ffast-math
// -mprefer-vector-width=512 (the flags; GCC vectorizes expf/log1pf through
// glibc's libmvec): the loop a user writes for BCE with logits, and the roof, a sum of x
// and y that reads both inputs once. Like every specially flagged TU of the benchmark it
// includes only <cmath> and its own declarations, keeps its loops in an anonymous
// namespace and hands them over as function pointers (see bench/bench.hpp).
#include <cmath>
#include <cstddef>

namespace logistic_bench_bce {

template <class T>
struct naive_rows {
    T (*loss_mean)(const T* x, const T* y, std::size_t n) = nullptr;
    T (*fused)(const T* x, const T* y, T* grad, std::size_t n) = nullptr;
    T (*roof)(const T* x, const T* y, std::size_t n) = nullptr;
};

naive_rows<float> bce_naive_f32();
naive_rows<double> bce_naive_f64();

}  // namespace logistic_bench_bce

namespace {

// PyTorch's formula as written in its documentation, summed in T: the loss only.
template <class T>
T loss_mean(const T* x, const T* y, std::size_t n) {
    T sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += (T(1) - y[i]) * x[i] + std::log1p(std::exp(-x[i]));
    return sum / static_cast<T>(n);
}

// The same, and the gradient of the mean: (sigma(x) - y) / n.
template <class T>
T fused(const T* x, const T* y, T* grad, std::size_t n) {
    T sum = 0;
    const T inv_n = T(1) / static_cast<T>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const T e = std::exp(-x[i]);
        sum += (T(1) - y[i]) * x[i] + std::log1p(e);
        grad[i] = (T(1) / (T(1) + e) - y[i]) * inv_n;
    }
    return sum * inv_n;
}

template <class T>
T roof(const T* x, const T* y, std::size_t n) {
    T sx = 0, sy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sx += x[i];
        sy += y[i];
    }
    return sx + sy;
}

template <class T>
logistic_bench_bce::naive_rows<T> make() {
    logistic_bench_bce::naive_rows<T> r;
    r.loss_mean = loss_mean<T>;
    r.fused = fused<T>;
    r.roof = roof<T>;
    return r;
}

}  // namespace

logistic_bench_bce::naive_rows<float> logistic_bench_bce::bce_naive_f32() { return make<float>(); }
logistic_bench_bce::naive_rows<double> logistic_bench_bce::bce_naive_f64() { return make<double>(); }
