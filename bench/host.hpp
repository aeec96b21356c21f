// What the harnesses (main.cpp, accuracy_baselines.cpp) ask of the machine:
// which of the benchmarked instruction sets it runs, and its CPU's name.
#ifndef LOGISTIC_BENCH_HOST_HPP
#define LOGISTIC_BENCH_HOST_HPP

#include <fstream>
#include <string>

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

}  // namespace logistic_bench

#endif
