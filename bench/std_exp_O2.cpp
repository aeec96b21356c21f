// The naive loop, as most code computes the sigmoid, compiled at -O2 without
// -ffast-math: std::exp is called once per element (it cannot be vectorized without
// fast-math). Also the memcpy roof, which needs no special flags.
#include "bench.hpp"

#include <cmath>
#include <cstring>

namespace {

template <class T>
void std_exp(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = T(1) / (T(1) + std::exp(-in[i]));
}

// Moves the same bytes as a kernel reads and writes: no kernel can beat it once the
// data leaves the caches.
template <class T>
void copy(const T* in, T* out, std::size_t n) { std::memcpy(out, in, n * sizeof(T)); }

}  // namespace

void logistic_bench::add_rows_std_exp_O2() {
    add_row("std_exp_O2", {std_exp<float>}, {std_exp<double>});
    add_roof("memcpy", {copy<float>}, {copy<double>});
}
