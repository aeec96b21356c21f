// The naive loop compiled with -O3 -ffast-math -march=native, where GCC vectorizes
// std::exp through glibc's libmvec (clang needs -fveclib=libmvec, which CMake adds).
// This is the only TU built with -ffast-math: the link line never carries it, so
// crtfastmath.o (which would set FTZ/DAZ for the whole process) is not linked.
// main.cpp records MXCSR in the benchmark context to prove it.
#include "bench.hpp"

#include <cmath>

namespace {

template <class T>
void std_exp(const T* in, T* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = T(1) / (T(1) + std::exp(-in[i]));
}

}  // namespace

void logistic_bench::add_rows_std_exp_fastmath() {
    add_row("std_exp_fastmath", {std_exp<float>}, {std_exp<double>});
}
