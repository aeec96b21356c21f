// Rows of logistic::dispatch (include/logistic/dispatch.hpp): "sigmoid.dispatch",
// "fast::sigmoid.dispatch", "softplus.dispatch" and "silu.dispatch". This unit is compiled
// with the build's default flags only (the x86-64 baseline): the library picks the
// architecture at run time, so on an AVX-512 machine these rows should time the same code
// as the header-only ".avx512" rows; report.py's "Runtime dispatch" section compares them.
// Registered before main() runs, like calibration.cpp's rows.
#include "bench.hpp"

#include <logistic/dispatch.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>

namespace {

template <class T>
void sigmoid(const T* in, T* out, std::size_t n) { logistic::dispatch::sigmoid(in, out, n); }
template <class T>
void fast_sigmoid(const T* in, T* out, std::size_t n) {
    logistic::dispatch::fast::sigmoid(in, out, n);
}
template <class T>
void softplus(const T* in, T* out, std::size_t n) { logistic::dispatch::softplus(in, out, n); }
template <class T>
void silu(const T* in, T* out, std::size_t n) { logistic::dispatch::silu(in, out, n); }

const bool registered = [] {
    using namespace logistic_bench;
    add_row("sigmoid.dispatch", {sigmoid<float>}, {sigmoid<double>});
    add_row("fast::sigmoid.dispatch", {fast_sigmoid<float>}, {fast_sigmoid<double>});
    add_family_row(function_id::softplus, "softplus.dispatch", {softplus<float>},
                   {softplus<double>});
    add_family_row(function_id::silu, "silu.dispatch", {silu<float>}, {silu<double>});
    benchmark::AddCustomContext("logistic.dispatch_arch", logistic::dispatch::selected_arch());
    return true;
}();

}  // namespace
