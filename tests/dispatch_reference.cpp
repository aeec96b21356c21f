// The reference of test_dispatch for one architecture: the calls of dispatch_calls.inc
// through the header-only functions, compiled with the flags of the flavor (the same as
// logistic::dispatch's unit for it). The entry points are named by the build
// (LOGISTIC_DISPATCH_REFERENCE_ENTRY), one pair per flavor; everything else here has
// internal linkage or lives in the library's per-architecture namespace.
#include <cstddef>

#include <logistic/affine.hpp>
#include <logistic/bce.hpp>
#include <logistic/logit.hpp>
#include <logistic/sigmoid.hpp>
#include <logistic/sigmoid_grad.hpp>
#include <logistic/silu.hpp>
#include <logistic/softplus.hpp>

#include "dispatch_cases.hpp"

#ifndef LOGISTIC_DISPATCH_REFERENCE_ENTRY
#error "define LOGISTIC_DISPATCH_REFERENCE_ENTRY (the build names each flavor's entry points)"
#endif
#define LOGISTIC_DISPATCH_CAT2(a, b) a##b
#define LOGISTIC_DISPATCH_CAT(a, b) LOGISTIC_DISPATCH_CAT2(a, b)

namespace {
namespace api = ::logistic;
#include "dispatch_calls.inc"
}  // namespace

void LOGISTIC_DISPATCH_CAT(LOGISTIC_DISPATCH_REFERENCE_ENTRY, _float)(
    const dispatch_test::inputs<float>& in, float* out, float* scalars) {
  run_calls(in, out, scalars);
}
void LOGISTIC_DISPATCH_CAT(LOGISTIC_DISPATCH_REFERENCE_ENTRY, _double)(
    const dispatch_test::inputs<double>& in, double* out, double* scalars) {
  run_calls(in, out, scalars);
}
