// What the harnesses (main.cpp, accuracy_baselines.cpp) share: which of the
// benchmarked instruction sets the machine runs, its CPU's name, and buffers.
#ifndef LOGISTIC_BENCH_HOST_HPP
#define LOGISTIC_BENCH_HOST_HPP

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "bench.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define LOGISTIC_BENCH_X86 1
#endif

namespace logistic_bench {

inline bool cpu_runs_avx2() {
#if LOGISTIC_BENCH_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

inline bool cpu_runs_avx512() {
#if LOGISTIC_BENCH_X86
    return cpu_runs_avx2() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

inline std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
            return line.substr(line.find(':') + 2);
    }
    return "unknown";
}

// Every function a row can compute, in the order reports list them.
constexpr function_id all_functions[] = {
    function_id::sigmoid,     function_id::logit,    function_id::sigmoid_affine,
    function_id::sigmoid_grad, function_id::sigmoid_backward, function_id::log_sigmoid,
    function_id::softplus,    function_id::silu,     function_id::silu_grad,
};

// The name rows and command lines use (the library's name of the function).
inline const char* name_of(function_id f) {
    switch (f) {
        case function_id::sigmoid: return "sigmoid";
        case function_id::logit: return "logit";
        case function_id::sigmoid_affine: return "sigmoid_affine";
        case function_id::sigmoid_grad: return "sigmoid_grad";
        case function_id::sigmoid_backward: return "sigmoid_backward";
        case function_id::log_sigmoid: return "log_sigmoid";
        case function_id::softplus: return "softplus";
        case function_id::silu: return "silu";
        case function_id::silu_grad: return "silu_grad";
    }
    return "?";
}

// logit takes a probability, sigmoid_backward a forward output y in [0, 1]; every other
// function a logit.
inline bool takes_probabilities(function_id f) {
    return f == function_id::logit || f == function_id::sigmoid_backward;
}

struct free_deleter {
    void operator()(void* p) const { std::free(p); }
};
template <class T>
using buffer = std::unique_ptr<T[], free_deleter>;

// 64-byte aligned (a cache line, an AVX-512 register), and padded because XNNPACK may
// read XNN_EXTRA_BYTES (16) past the end. Zero-filled so that no page faults land in
// the timed loop.
template <class T>
buffer<T> allocate(std::size_t n) {
    const std::size_t bytes = (n * sizeof(T) + 64 + 63) / 64 * 64;
    buffer<T> b(static_cast<T*>(std::aligned_alloc(64, bytes)));
    if (!b) std::abort();
    std::memset(b.get(), 0, bytes);
    return b;
}

}  // namespace logistic_bench

#endif
