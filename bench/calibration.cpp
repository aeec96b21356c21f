// Calibration fits (issue 5) in logistic_bench: the time of one fit_temperature and one
// fit_platt on 10^6 samples, float and double, per architecture. Rows:
//   fit_temperature.<arch>/<f32|f64>/miscalibrated/1000000   counter "passes"
//   fit_platt.<arch>/<f32|f64>/miscalibrated/1000000         counter "iterations"
// (the set name keeps them out of the sigmoid's tables; report.py prints them in its
// "Calibration" section, in ms per fit).
//
// CMake compiles this file in two roles, like bce.cpp:
//   LOGISTIC_BENCH_CALIBRATION_KERNELS, with an architecture's flags (LOGISTIC_BENCH_ARCH =
//     avx2, avx512, native): the fits as plain function pointers, nothing else from the
//     library leaves the TU;
//   the harness, with the build's default flags, linked into logistic_bench: the data and
//     the rows, registered by a static initializer (main.cpp runs every registered row).
//
// The data: a model whose true logit is z ~ N(0, 1.5^2), label y ~ Bernoulli(sigma(z)),
// reporting 2.5 z (overconfident: t near 2.5). Platt's scores are the same logits.
#include <cstddef>

namespace logistic_bench_calibration {

struct fit_outcome {
    double value;  // t, or Platt's a
    int count;     // passes (temperature) or Newton iterations (Platt)
    bool ok;
};

template <class T>
struct fits {
    fit_outcome (*temperature)(const T* logits, const T* labels, std::size_t n) = nullptr;
    fit_outcome (*platt)(const T* scores, const T* labels, std::size_t n) = nullptr;
};

fits<float> fits_f32_avx512();
fits<double> fits_f64_avx512();
fits<float> fits_f32_avx2();
fits<double> fits_f64_avx2();
fits<float> fits_f32_native();
fits<double> fits_f64_native();

}  // namespace logistic_bench_calibration

#if defined(LOGISTIC_BENCH_CALIBRATION_KERNELS)
// ---------------------------------------------------------------------------------------
// The fits for one architecture.
#include <logistic/fit_platt.hpp>
#include <logistic/fit_temperature.hpp>

#define LOGISTIC_BENCH_CALIBRATION_CAT2(a, b) a##b
#define LOGISTIC_BENCH_CALIBRATION_CAT(a, b) LOGISTIC_BENCH_CALIBRATION_CAT2(a, b)

namespace {

using logistic_bench_calibration::fit_outcome;

template <class T>
fit_outcome temperature(const T* x, const T* y, std::size_t n) {
    const auto f = logistic::fit_temperature(x, y, n);
    return {static_cast<double>(f.temperature), f.passes, f.status == logistic::calibration_status::ok};
}

template <class T>
fit_outcome platt(const T* x, const T* y, std::size_t n) {
    const auto f = logistic::fit_platt(x, y, n);
    return {f.a, f.iterations, f.status == logistic::calibration_status::ok};
}

template <class T>
logistic_bench_calibration::fits<T> make_fits() {
    logistic_bench_calibration::fits<T> f;
    f.temperature = temperature<T>;
    f.platt = platt<T>;
    return f;
}

}  // namespace

logistic_bench_calibration::fits<float>
logistic_bench_calibration::LOGISTIC_BENCH_CALIBRATION_CAT(fits_f32_, LOGISTIC_BENCH_ARCH)() {
    return make_fits<float>();
}
logistic_bench_calibration::fits<double>
logistic_bench_calibration::LOGISTIC_BENCH_CALIBRATION_CAT(fits_f64_, LOGISTIC_BENCH_ARCH)() {
    return make_fits<double>();
}

#else
// ---------------------------------------------------------------------------------------
// The harness.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "host.hpp"

namespace logistic_bench_calibration {
namespace {

constexpr std::size_t samples = 1000000;

// splitmix64, as bench/main.cpp: the same inputs with every compiler.
double uniform(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1p-53;
}

template <class T>
struct data {
    std::vector<T> logits, labels;
};

template <class T>
const data<T>& miscalibrated() {
    static data<T> d;
    if (!d.logits.empty()) return d;
    std::uint64_t state = 20240611;
    for (std::size_t i = 0; i < samples; ++i) {
        const double u1 = uniform(state), u2 = uniform(state);
        const double z = 1.5 * std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(6.283185307179586 * u2);
        d.labels.push_back(uniform(state) < 1 / (1 + std::exp(-z)) ? T(1) : T(0));
        d.logits.push_back(static_cast<T>(2.5 * z));
    }
    return d;
}

template <class T>
const char* type_name();
template <>
const char* type_name<float>() { return "f32"; }
template <>
const char* type_name<double>() { return "f64"; }

template <class T>
void add(const std::string& row, const char* counter,
         fit_outcome (*fit)(const T*, const T*, std::size_t)) {
    const std::string name = row + "/" + type_name<T>() + "/miscalibrated/" + std::to_string(samples);
    benchmark::RegisterBenchmark(name.c_str(), [fit, counter](benchmark::State& state) {
        const data<T>& d = miscalibrated<T>();
        fit_outcome outcome{0, 0, false};
        for (auto _ : state) {
            outcome = fit(d.logits.data(), d.labels.data(), samples);
            benchmark::DoNotOptimize(outcome);
        }
        if (!outcome.ok) {
            state.SkipWithError("the fit did not return status ok");
            return;
        }
        state.counters[counter] = outcome.count;
        state.counters["value"] = outcome.value;
        state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                                static_cast<std::int64_t>(samples));
    })->UseRealTime()->Unit(benchmark::kMillisecond);
}

template <class T>
void add_arch(const char* arch, fits<T> f) {
    const std::string suffix = std::string(".") + arch;
    add<T>("fit_temperature" + suffix, "passes", f.temperature);
    add<T>("fit_platt" + suffix, "iterations", f.platt);
}

// Registered before main() runs; main.cpp's RunSpecifiedBenchmarks() times them with the
// other rows (and --benchmark_filter=fit_ selects them alone).
const bool registered = [] {
#if LOGISTIC_BENCH_HAVE_AVX512
    if (logistic_bench::cpu_runs_avx512()) {
        add_arch<float>("avx512", fits_f32_avx512());
        add_arch<double>("avx512", fits_f64_avx512());
    }
#endif
#if LOGISTIC_BENCH_HAVE_AVX2
    if (logistic_bench::cpu_runs_avx2()) {
        add_arch<float>("avx2", fits_f32_avx2());
        add_arch<double>("avx2", fits_f64_avx2());
    }
#endif
#if LOGISTIC_BENCH_HAVE_NATIVE
    add_arch<float>("native", fits_f32_native());
    add_arch<double>("native", fits_f64_native());
#endif
    return true;
}();

}  // namespace
}  // namespace logistic_bench_calibration
#endif
