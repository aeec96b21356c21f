// XNNPACK's f32 sigmoid operator, run on the calling thread (no thread pool). XNNPACK
// picks its own microkernel for the CPU at run time, so this TU needs no -m flags.
// It has no f64 sigmoid. Debian's 2022 snapshot includes <pthreadpool.h>, which
// Debian does not ship: CMake then puts a one-line stand-in on the include path.
#include "bench.hpp"

#include <xnnpack.h>

namespace {

xnn_operator_t op = nullptr;  // one benchmark runs at a time; rebuilt by each setup

// xnn_setup binds the buffers, so the timed part is xnn_run_operator alone, as in an
// inference engine that plans once and runs many times.
bool setup(const float* in, float* out, std::size_t n) {
    static const bool initialized = xnn_initialize(nullptr) == xnn_status_success;
    if (!initialized) return false;
    if (op != nullptr) xnn_delete_operator(op);
    op = nullptr;
    // One channel and a batch of n: contiguous, which XNNPACK runs as one flat vector.
    return xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op) == xnn_status_success &&
           xnn_setup_sigmoid_nc_f32(op, n, in, out, nullptr) == xnn_status_success;
}

void run(const float*, float*, std::size_t) { xnn_run_operator(op, nullptr); }

}  // namespace

void logistic_bench::add_rows_xnnpack() {
    logistic_bench::kernel<float> f32;
    f32.run = run;
    f32.setup = setup;
    add_row("xnnpack", f32, {});
}
