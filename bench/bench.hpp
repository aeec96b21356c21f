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
    // Computes out[i] = f(in[i]) for i < n (f: the sigmoid, or the row's function_id);
    // nullptr when the row lacks this type.
    void (*run)(const T* in, T* out, std::size_t n) = nullptr;
    // Called once per benchmark, untimed, with the buffers that `run` will see; for APIs
    // that bind buffers ahead of time (XNNPACK). Returns false if the library refused.
    bool (*setup)(const T* in, T* out, std::size_t n) = nullptr;
    // The two-input form, for sigmoid_backward: dx[i] = f(y[i], dy[i]); `run` is then
    // nullptr.
    void (*run2)(const T* y, const T* dy, T* dx, std::size_t n) = nullptr;
};

// The function a row computes: it decides the row's inputs (logits, or probabilities
// for logit and sigmoid_backward) and the formula its output is checked against.
enum class function_id {
    sigmoid,
    logit,
    sigmoid_affine,  // sigmoid(in, out, n, affine<T>{affine_scale, affine_bias})
    sigmoid_grad,
    sigmoid_backward,
    log_sigmoid,
    softplus,
    silu,
    silu_grad,
};

// The transform of the sigmoid_affine rows: sigma(affine_scale * x + affine_bias).
// Neither is a power of 2, so a kernel cannot skip the multiplication.
constexpr double affine_scale = 0.75;
constexpr double affine_bias = -0.5;

// Adds one row (an implementation) to every size and input set. `name` must be a
// string literal without '/': it becomes the first field of the benchmark's name,
// which report.py splits on '/'.
void add_row(const char* name, kernel<float> f32, kernel<double> f64);
// The same for a row that moves the bytes without computing (memcpy): its output is
// not checked against the sigmoid.
void add_roof(const char* name, kernel<float> f32, kernel<double> f64);
// A row of another function of the family (issue 3). Row names follow one pattern,
// which report.py relies on: "<function>.<arch>" and "fast::<function>.<arch>" for
// ours, "<function>.naive_O2" / "<function>.naive_fastmath" for the naive formula
// (a second naive formula of the same function adds a word: "logit.log1p.naive_O2").
void add_family_row(function_id f, const char* name, kernel<float> f32, kernel<double> f64);

// One per TU; main.cpp calls those that CMake compiled in and the CPU can run.
void add_rows_avx512();
void add_rows_avx2();
void add_rows_native();  // other hosts: the toolchain's default architecture
void add_rows_std_exp_O2();
void add_rows_std_exp_fastmath();
void add_rows_eigen();
void add_rows_xnnpack();
// The family: ours per architecture (family.cpp), the naive formulas (naive.cpp).
void add_family_rows_avx512();
void add_family_rows_avx2();
void add_family_rows_native();
void add_rows_naive_O2();
void add_rows_naive_fastmath();

}  // namespace logistic_bench
