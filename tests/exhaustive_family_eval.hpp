// Test support: the interface between exhaustive_family.cpp (the harness, compiled for the
// baseline instruction set) and exhaustive_family_eval.cpp (compiled once per instruction-set
// flavor). Plain function pointers and a plain struct, nothing generic: the harness never
// instantiates a template that a flavored unit also instantiates with other -m flags.
#ifndef LOGISTIC_TESTS_EXHAUSTIVE_FAMILY_EVAL_HPP
#define LOGISTIC_TESTS_EXHAUSTIVE_FAMILY_EVAL_HPP

#include <cstddef>

namespace family_eval {

// The functions of issues 2 and 3, in the order of the harness's report.
enum function_index : int {
  sigmoid,
  logit,
  log_sigmoid,
  softplus,
  sigmoid_grad,
  silu,
  silu_grad,
  sigmoid_backward,
  function_count
};
enum tier_index : int { faithful, fast, tier_count };

using unary_array = void (*)(const float* in, float* out, std::size_t n);
using unary_scalar = float (*)(float x);
using binary_array = void (*)(const float* y, const float* dy, float* out, std::size_t n);
using binary_scalar = float (*)(float y, float dy);

// One function in one tier: the unary forms, or for sigmoid_backward the binary ones.
// All null when the flavor was built without the function's header (or the tier does not
// exist: sigmoid_backward and logit have no fast form).
struct entry {
  unary_array array;
  unary_scalar scalar;
  binary_array backward_array;
  binary_scalar backward_scalar;
};

struct table {
  const char* arch_namespace;  // the library's LOGISTIC_ARCH_NAMESPACE in that unit
  entry functions[function_count][tier_count];
};

}  // namespace family_eval

// The tables, one per flavor (constant-initialized data: using them runs no flavored code
// until the harness calls through a pointer, after checking the CPU).
extern const family_eval::table family_eval_sse2;
extern const family_eval::table family_eval_avx2;
extern const family_eval::table family_eval_avx512;
extern const family_eval::table family_eval_native;

#endif
