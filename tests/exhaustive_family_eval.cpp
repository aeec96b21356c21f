// The library side of the exhaustive harness (exhaustive_family.cpp): compiled once per
// instruction-set flavor (tests/CMakeLists.txt), with LOGISTIC_FAMILY_EVAL_ENTRY naming the
// table it defines (family_eval_sse2, family_eval_avx2, ...). The library's per-architecture
// inline namespace keeps each flavor's instantiations apart at link time; this unit adds
// only functions of internal linkage and one constant table, so that nothing compiled with
// one flavor's -m flags can stand in for another's.
//
// Each function's header is included when it exists: the harness checks whatever has been
// written, and reports the rest as absent.
#include <cstddef>

#include <logistic/sigmoid.hpp>

#if __has_include(<logistic/logit.hpp>)
#include <logistic/logit.hpp>
#define LOGISTIC_FAMILY_HAS_LOGIT 1
#endif
#if __has_include(<logistic/softplus.hpp>)
#include <logistic/softplus.hpp>
#define LOGISTIC_FAMILY_HAS_SOFTPLUS 1
#endif
#if __has_include(<logistic/sigmoid_grad.hpp>)
#include <logistic/sigmoid_grad.hpp>
#define LOGISTIC_FAMILY_HAS_SIGMOID_GRAD 1
#endif
#if __has_include(<logistic/silu.hpp>)
#include <logistic/silu.hpp>
#define LOGISTIC_FAMILY_HAS_SILU 1
#endif
#include <logistic/detail/config.hpp>

#include "exhaustive_family_eval.hpp"

#ifndef LOGISTIC_FAMILY_EVAL_ENTRY
#error "LOGISTIC_FAMILY_EVAL_ENTRY must name this flavor's table (tests/CMakeLists.txt)"
#endif

#define LOGISTIC_FAMILY_STRING2(x) #x
#define LOGISTIC_FAMILY_STRING(x) LOGISTIC_FAMILY_STRING2(x)

namespace {

// name_faithful_array / name_faithful_scalar and the fast pair, each a plain function.
#define LOGISTIC_FAMILY_UNARY(name, ns, tier)                                        \
  void name##_##tier##_array(const float* in, float* out, std::size_t n) noexcept { \
    ns::name(in, out, n);                                                           \
  }                                                                                 \
  float name##_##tier##_scalar(float x) noexcept { return ns::name(x); }

#define LOGISTIC_FAMILY_BOTH_TIERS(name)                  \
  LOGISTIC_FAMILY_UNARY(name, logistic, faithful)         \
  LOGISTIC_FAMILY_UNARY(name, logistic::fast, fast)

#define LOGISTIC_FAMILY_ENTRY(name, tier) {name##_##tier##_array, name##_##tier##_scalar, nullptr, nullptr}
#define LOGISTIC_FAMILY_NONE {nullptr, nullptr, nullptr, nullptr}

LOGISTIC_FAMILY_BOTH_TIERS(sigmoid)
#define LOGISTIC_FAMILY_SIGMOID \
  {LOGISTIC_FAMILY_ENTRY(sigmoid, faithful), LOGISTIC_FAMILY_ENTRY(sigmoid, fast)}

#if defined(LOGISTIC_FAMILY_HAS_LOGIT)
LOGISTIC_FAMILY_UNARY(logit, logistic, faithful)
#define LOGISTIC_FAMILY_LOGIT {LOGISTIC_FAMILY_ENTRY(logit, faithful), LOGISTIC_FAMILY_NONE}
#else
#define LOGISTIC_FAMILY_LOGIT {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#endif

#if defined(LOGISTIC_FAMILY_HAS_SOFTPLUS)
LOGISTIC_FAMILY_BOTH_TIERS(log_sigmoid)
LOGISTIC_FAMILY_BOTH_TIERS(softplus)
#define LOGISTIC_FAMILY_LOG_SIGMOID \
  {LOGISTIC_FAMILY_ENTRY(log_sigmoid, faithful), LOGISTIC_FAMILY_ENTRY(log_sigmoid, fast)}
#define LOGISTIC_FAMILY_SOFTPLUS \
  {LOGISTIC_FAMILY_ENTRY(softplus, faithful), LOGISTIC_FAMILY_ENTRY(softplus, fast)}
#else
#define LOGISTIC_FAMILY_LOG_SIGMOID {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#define LOGISTIC_FAMILY_SOFTPLUS {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#endif

#if defined(LOGISTIC_FAMILY_HAS_SIGMOID_GRAD)
LOGISTIC_FAMILY_BOTH_TIERS(sigmoid_grad)
void sigmoid_backward_array(const float* y, const float* dy, float* dx, std::size_t n) noexcept {
  logistic::sigmoid_backward(y, dy, dx, n);
}
float sigmoid_backward_scalar(float y, float dy) noexcept { return logistic::sigmoid_backward(y, dy); }
#define LOGISTIC_FAMILY_SIGMOID_GRAD \
  {LOGISTIC_FAMILY_ENTRY(sigmoid_grad, faithful), LOGISTIC_FAMILY_ENTRY(sigmoid_grad, fast)}
#define LOGISTIC_FAMILY_SIGMOID_BACKWARD \
  {{nullptr, nullptr, sigmoid_backward_array, sigmoid_backward_scalar}, LOGISTIC_FAMILY_NONE}
#else
#define LOGISTIC_FAMILY_SIGMOID_GRAD {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#define LOGISTIC_FAMILY_SIGMOID_BACKWARD {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#endif

#if defined(LOGISTIC_FAMILY_HAS_SILU)
LOGISTIC_FAMILY_BOTH_TIERS(silu)
LOGISTIC_FAMILY_BOTH_TIERS(silu_grad)
#define LOGISTIC_FAMILY_SILU {LOGISTIC_FAMILY_ENTRY(silu, faithful), LOGISTIC_FAMILY_ENTRY(silu, fast)}
#define LOGISTIC_FAMILY_SILU_GRAD \
  {LOGISTIC_FAMILY_ENTRY(silu_grad, faithful), LOGISTIC_FAMILY_ENTRY(silu_grad, fast)}
#else
#define LOGISTIC_FAMILY_SILU {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#define LOGISTIC_FAMILY_SILU_GRAD {LOGISTIC_FAMILY_NONE, LOGISTIC_FAMILY_NONE}
#endif

}  // namespace

// In the order of family_eval::function_index.
extern const family_eval::table LOGISTIC_FAMILY_EVAL_ENTRY;
const family_eval::table LOGISTIC_FAMILY_EVAL_ENTRY = {
    LOGISTIC_FAMILY_STRING(LOGISTIC_ARCH_NAMESPACE),
    {LOGISTIC_FAMILY_SIGMOID, LOGISTIC_FAMILY_LOGIT, LOGISTIC_FAMILY_LOG_SIGMOID, LOGISTIC_FAMILY_SOFTPLUS,
     LOGISTIC_FAMILY_SIGMOID_GRAD, LOGISTIC_FAMILY_SILU, LOGISTIC_FAMILY_SILU_GRAD,
     LOGISTIC_FAMILY_SIGMOID_BACKWARD}};
