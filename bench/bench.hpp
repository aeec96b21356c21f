// The interface between the benchmark's translation units.
//
// Kernels are compiled in several TUs with different -m flags (one per architecture,
// plus the -O2 and the -ffast-math baselines). To keep code built for one ISA from
// leaking into another through the linker's choice among duplicate inline functions,
// those TUs include nothing but this header, their kernel's own headers and <cmath>,
// keep their kernels in an anonymous namespace, and hand them over as plain function
// pointers. The timing harness (Google Benchmark, buffers, data) lives in main.cpp,
// which is compiled with the build's default flags only.
#pragma once

#include <cstddef>

// Row names of the per-architecture TUs: "sigmoid" "." "avx512". CMake defines
// LOGISTIC_BENCH_ARCH (an identifier) in those TUs.
#define LOGISTIC_BENCH_STR2(x) #x
#define LOGISTIC_BENCH_STR(x) LOGISTIC_BENCH_STR2(x)
#define LOGISTIC_BENCH_ROW(name) name "." LOGISTIC_BENCH_STR(LOGISTIC_BENCH_ARCH)

namespace logistic_bench {

template <class T>
struct kernel {
    // Computes out[i] = sigmoid(in[i]) for i < n; nullptr when the row lacks this type.
    void (*run)(const T* in, T* out, std::size_t n) = nullptr;
    // Called once per benchmark, untimed, with the buffers that `run` will see; for APIs
    // that bind buffers ahead of time (XNNPACK). Returns false if the library refused.
    bool (*setup)(const T* in, T* out, std::size_t n) = nullptr;
};

// Adds one row (an implementation) to every size and input set. `name` must be a
// string literal without '/': it becomes the first field of the benchmark's name,
// which report.py splits on '/'.
void add_row(const char* name, kernel<float> f32, kernel<double> f64);
// The same for a row that moves the bytes without computing (memcpy): its output is
// not checked against the sigmoid.
void add_roof(const char* name, kernel<float> f32, kernel<double> f64);

// One per TU; main.cpp calls those that CMake compiled in and the CPU can run.
void add_rows_avx512();
void add_rows_avx2();
void add_rows_native();  // other hosts: the toolchain's default architecture
void add_rows_std_exp_O2();
void add_rows_std_exp_fastmath();
void add_rows_eigen();
void add_rows_xnnpack();

}  // namespace logistic_bench
