// logistic_bench_bce: binary cross-entropy with logits (issue 4) against the loop a user
// would write, in one Google Benchmark binary (its own, beside logistic_bench).
//
// CMake compiles this file in two roles:
//   LOGISTIC_BENCH_BCE_KERNELS, with an architecture's flags (LOGISTIC_BENCH_ARCH = avx2,
//     avx512, native): our four array forms as plain function pointers
//     (bce_rows_<arch>), nothing else from the library leaves the TU;
//   the harness (no flag of its own): buffers, inputs, the rows, main().
// bce_naive.cpp holds the naive loops (-O3 -march=native -ffast-math) and the roof.
//
// Rows, each timed at 4 Ki, 64 Ki, 1 Mi and 16 Mi elements, float and double, on two input
// sets: "useful" (logits ~ N(0, 4^2), the range a trained classifier produces) and
// "wide" (uniform in [-40, 40], where every block of 64 needs the exp + log path):
//   bce.reduced.<arch>  bce_with_logits(x, y, n) (mean)
//   bce.fused.<arch>    bce_with_logits_fused(x, y, grad, n) (mean)
//   bce.loss.<arch>     bce_with_logits(x, y, loss, n) (elementwise)
//   bce.grad.<arch>     bce_with_logits_grad(x, y, grad, n) (mean)
//   bce.naive_fastmath  mean of (1 - y) x + log1p(e^-x), the loss only
//   bce.naive_fastmath_fused  the same and (sigma(x) - y) / n per element
//   bce.roof            sum of x and sum of y: both inputs read once, nothing computed
// Labels are 0 or 1 (half each). The harness prints ns/element per row; the issue's
// ratios (reduced >= 2x and fused >= 1.5x the naive loss loop at 64 Ki, reduced within
// 1.3x of the roof at 16 Mi) are the quotients of rows of one run:
//   build/bce/bench/logistic_bench_bce --benchmark_repetitions=5
//       --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
#include <cstddef>

namespace logistic_bench_bce {

template <class T>
struct rows {
    T (*reduced)(const T* x, const T* y, std::size_t n) = nullptr;
    T (*fused)(const T* x, const T* y, T* grad, std::size_t n) = nullptr;
    void (*loss)(const T* x, const T* y, T* loss, std::size_t n) = nullptr;
    void (*grad)(const T* x, const T* y, T* grad, std::size_t n) = nullptr;
};

template <class T>
struct naive_rows {
    T (*loss_mean)(const T* x, const T* y, std::size_t n) = nullptr;
    T (*fused)(const T* x, const T* y, T* grad, std::size_t n) = nullptr;
    T (*roof)(const T* x, const T* y, std::size_t n) = nullptr;
};

rows<float> bce_rows_f32_avx512();
rows<double> bce_rows_f64_avx512();
rows<float> bce_rows_f32_avx2();
rows<double> bce_rows_f64_avx2();
rows<float> bce_rows_f32_native();
rows<double> bce_rows_f64_native();
naive_rows<float> bce_naive_f32();
naive_rows<double> bce_naive_f64();

}  // namespace logistic_bench_bce

#if defined(LOGISTIC_BENCH_BCE_KERNELS)
// ---------------------------------------------------------------------------------------
// Our rows for one architecture.
#include <logistic/bce.hpp>

#define LOGISTIC_BENCH_BCE_CAT2(a, b) a##b
#define LOGISTIC_BENCH_BCE_CAT(a, b) LOGISTIC_BENCH_BCE_CAT2(a, b)

namespace {

template <class T>
T reduced(const T* x, const T* y, std::size_t n) {
    return logistic::bce_with_logits(x, y, n);
}
template <class T>
T fused(const T* x, const T* y, T* grad, std::size_t n) {
    return logistic::bce_with_logits_fused(x, y, grad, n);
}
template <class T>
void loss(const T* x, const T* y, T* out, std::size_t n) {
    logistic::bce_with_logits(x, y, out, n);
}
template <class T>
void grad(const T* x, const T* y, T* out, std::size_t n) {
    logistic::bce_with_logits_grad(x, y, out, n);
}

template <class T>
logistic_bench_bce::rows<T> make_rows() {
    logistic_bench_bce::rows<T> r;
    r.reduced = reduced<T>;
    r.fused = fused<T>;
    r.loss = loss<T>;
    r.grad = grad<T>;
    return r;
}

}  // namespace

logistic_bench_bce::rows<float> logistic_bench_bce::LOGISTIC_BENCH_BCE_CAT(bce_rows_f32_, LOGISTIC_BENCH_ARCH)() {
    return make_rows<float>();
}
logistic_bench_bce::rows<double> logistic_bench_bce::LOGISTIC_BENCH_BCE_CAT(bce_rows_f64_, LOGISTIC_BENCH_ARCH)() {
    return make_rows<double>();
}

#else
// ---------------------------------------------------------------------------------------
// The harness.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace logistic_bench_bce {
namespace {

constexpr std::size_t sizes[] = {4096, 65536, 1u << 20, 1u << 24};

// splitmix64, as bench/main.cpp: the same inputs with every compiler.
double uniform(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1p-53;
}

enum class input_set { useful, wide };

template <class T>
struct data {
    std::vector<T> x, y, out;
};

template <class T>
const data<T>& inputs(input_set set, std::size_t n) {
    static data<T> cache[2][4];
    std::size_t k = 0;
    while (sizes[k] != n) ++k;
    data<T>& d = cache[set == input_set::wide][k];
    if (d.x.size() == n) return d;
    d.x.resize(n);
    d.y.resize(n);
    d.out.assign(n, T(0));
    std::uint64_t state = 42;
    for (std::size_t i = 0; i < n; ++i) {
        double v;
        if (set == input_set::useful) {  // Box-Muller: N(0, 4^2)
            const double u1 = uniform(state), u2 = uniform(state);
            v = 4.0 * std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(6.283185307179586 * u2);
        } else {
            v = -40.0 + 80.0 * uniform(state);
        }
        d.x[i] = static_cast<T>(v);
        d.y[i] = uniform(state) < 0.5 ? T(0) : T(1);
    }
    return d;
}

template <class T>
const char* type_name();
template <>
const char* type_name<float>() { return "f32"; }
template <>
const char* type_name<double>() { return "f64"; }

const char* set_name(input_set s) { return s == input_set::useful ? "useful" : "wide"; }

template <class T, class F>
void add(const std::string& row, F run) {
    for (input_set set : {input_set::useful, input_set::wide}) {
        for (std::size_t n : sizes) {
            const std::string name = row + "/" + type_name<T>() + "/" + set_name(set) + "/" + std::to_string(n);
            benchmark::RegisterBenchmark(name.c_str(), [run, set, n](benchmark::State& state) {
                data<T>& d = const_cast<data<T>&>(inputs<T>(set, n));
                for (auto _ : state) {
                    benchmark::DoNotOptimize(run(d, n));
                    benchmark::ClobberMemory();
                }
                state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                                        static_cast<std::int64_t>(n));
                state.counters["ns_per_element"] = benchmark::Counter(
                    static_cast<double>(state.iterations()) * static_cast<double>(n),
                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
            });
        }
    }
}

template <class T>
void add_ours(const char* arch, rows<T> r) {
    const std::string a = std::string(".") + arch;
    add<T>("bce.reduced" + a, [r](data<T>& d, std::size_t n) { return r.reduced(d.x.data(), d.y.data(), n); });
    add<T>("bce.fused" + a, [r](data<T>& d, std::size_t n) {
        return r.fused(d.x.data(), d.y.data(), d.out.data(), n);
    });
    add<T>("bce.loss" + a, [r](data<T>& d, std::size_t n) {
        r.loss(d.x.data(), d.y.data(), d.out.data(), n);
        return d.out[0];
    });
    add<T>("bce.grad" + a, [r](data<T>& d, std::size_t n) {
        r.grad(d.x.data(), d.y.data(), d.out.data(), n);
        return d.out[0];
    });
}

template <class T>
void add_naive(naive_rows<T> r) {
    add<T>("bce.naive_fastmath", [r](data<T>& d, std::size_t n) { return r.loss_mean(d.x.data(), d.y.data(), n); });
    add<T>("bce.naive_fastmath_fused", [r](data<T>& d, std::size_t n) {
        return r.fused(d.x.data(), d.y.data(), d.out.data(), n);
    });
    add<T>("bce.roof", [r](data<T>& d, std::size_t n) { return r.roof(d.x.data(), d.y.data(), n); });
}

bool cpu_has(const char* arch) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (std::string(arch) == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (std::string(arch) == "avx512") {
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    }
#endif
    (void)arch;
    return true;
}

}  // namespace
}  // namespace logistic_bench_bce

int main(int argc, char** argv) {
    using namespace logistic_bench_bce;
#if LOGISTIC_BENCH_HAVE_AVX512
    if (cpu_has("avx512")) {
        add_ours<float>("avx512", bce_rows_f32_avx512());
        add_ours<double>("avx512", bce_rows_f64_avx512());
    } else {
        std::printf("skipped: avx512 rows (this CPU lacks AVX-512)\n");
    }
#endif
#if LOGISTIC_BENCH_HAVE_AVX2
    if (cpu_has("avx2")) {
        add_ours<float>("avx2", bce_rows_f32_avx2());
        add_ours<double>("avx2", bce_rows_f64_avx2());
    }
#endif
#if LOGISTIC_BENCH_HAVE_NATIVE
    add_ours<float>("native", bce_rows_f32_native());
    add_ours<double>("native", bce_rows_f64_native());
#endif
    add_naive<float>(bce_naive_f32());
    add_naive<double>(bce_naive_f64());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
#endif
