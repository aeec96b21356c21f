// Misuse that must not compile: logistic's functions are defined for float and double only,
// and an integer T must stop at the library's readable static_assert
// ("logistic: T must be float or double"), not deep inside xsimd.
//
// tests/CMakeLists.txt builds this file once per case, selected by one macro:
//   LOGISTIC_COMPILE_FAIL_SCALAR      logistic::sigmoid(int)
//   LOGISTIC_COMPILE_FAIL_BATCH       logistic::sigmoid(xsimd::batch<int>)
//   LOGISTIC_COMPILE_FAIL_ARRAY       logistic::sigmoid(const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_FAST_SCALAR logistic::fast::sigmoid(int)
//   LOGISTIC_COMPILE_FAIL_FAST_BATCH  logistic::fast::sigmoid(xsimd::batch<int>)
//   LOGISTIC_COMPILE_FAIL_FAST_ARRAY  logistic::fast::sigmoid(const int*, int*, n)
//   and one array entry point of each other public header:
//   LOGISTIC_COMPILE_FAIL_LOGIT       logistic::logit(const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_SOFTPLUS    logistic::softplus(const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_GRAD        logistic::sigmoid_grad(const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_BACKWARD    logistic::sigmoid_backward(const int*, const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_SILU        logistic::silu(const int*, int*, n)
//   LOGISTIC_COMPILE_FAIL_AFFINE      logistic::sigmoid(const int*, int*, n, affine<int>)
//   LOGISTIC_COMPILE_FAIL_BCE         logistic::bce_with_logits(const int*, const int*, n)
//   LOGISTIC_COMPILE_FAIL_CALIBRATION logistic::expected_calibration_error(const int*, ...)
//   LOGISTIC_COMPILE_FAIL_CONTROL     every call above with float: must compile, so that the
//                                     cases fail because of the integer and nothing else.
#include <cstddef>

#include <logistic/logistic.hpp>
#include <xsimd/xsimd.hpp>

#if defined(LOGISTIC_COMPILE_FAIL_CONTROL)
using value_type = float;
#else
using value_type = int;
#endif

namespace {

template <class Batch>
int use_batch(Batch y) {
  alignas(64) value_type lanes[Batch::size] = {};
  y.store_unaligned(lanes);
  return static_cast<int>(lanes[0]);
}

}  // namespace

int main() {
  const xsimd::batch<value_type> x(static_cast<value_type>(1));
  const value_type in[4] = {0, 1, 2, 3};
  value_type out[4] = {};
  int sink = 0;
  static_cast<void>(x);

#if defined(LOGISTIC_COMPILE_FAIL_SCALAR) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += static_cast<int>(logistic::sigmoid(in[1]));
#endif
#if defined(LOGISTIC_COMPILE_FAIL_BATCH) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += use_batch(logistic::sigmoid(x));
#endif
#if defined(LOGISTIC_COMPILE_FAIL_ARRAY) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::sigmoid(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_FAST_SCALAR) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += static_cast<int>(logistic::fast::sigmoid(in[1]));
#endif
#if defined(LOGISTIC_COMPILE_FAIL_FAST_BATCH) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += use_batch(logistic::fast::sigmoid(x));
#endif
#if defined(LOGISTIC_COMPILE_FAIL_FAST_ARRAY) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::fast::sigmoid(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_LOGIT) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::logit(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_SOFTPLUS) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::softplus(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_GRAD) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::sigmoid_grad(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_BACKWARD) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::sigmoid_backward(in, in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_SILU) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::silu(in, out, 4);
#endif
#if defined(LOGISTIC_COMPILE_FAIL_AFFINE) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  logistic::sigmoid(in, out, 4, logistic::affine<value_type>{value_type(1), value_type(0)});
#endif
#if defined(LOGISTIC_COMPILE_FAIL_BCE) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += static_cast<int>(logistic::bce_with_logits(in, in, 4));
#endif
#if defined(LOGISTIC_COMPILE_FAIL_CALIBRATION) || defined(LOGISTIC_COMPILE_FAIL_CONTROL)
  sink += static_cast<int>(logistic::expected_calibration_error(in, in, 4).value);
#endif

  return sink + static_cast<int>(out[0]) + static_cast<int>(in[0]);
}
