// The call sequence of test_dispatch: what the test runs through logistic::dispatch and,
// for the reference, through the header-only functions compiled for one architecture
// (dispatch_reference.cpp). Plain data only: these structs are shared by units compiled
// for different architectures, so they carry no inline code a linker could fold.
#ifndef LOGISTIC_TESTS_DISPATCH_CASES_HPP
#define LOGISTIC_TESTS_DISPATCH_CASES_HPP

#include <cstddef>

namespace dispatch_test {

template <class T>
struct inputs {
  const T* x;   // logits: specials, tails and random bit patterns
  const T* p;   // probabilities (and y of sigmoid_backward), some outside [0, 1]
  const T* y;   // soft labels
  const T* yh;  // hard labels (0 or 1): the AVX-512 fast path of the reduced BCE
  const T* dy;  // upstream gradients
  const T* w;   // BCE weights
  std::size_t n;
};

// Every call writes one array of n results, at out + k * n, and possibly scalars.
constexpr const char* array_names[] = {
    "sigmoid",          "sigmoid affine",       "logit",
    "logit eps",        "sigmoid_grad",         "sigmoid_backward",
    "log_sigmoid",      "softplus",             "silu",
    "silu_grad",        "fast::sigmoid",        "fast::sigmoid affine",
    "fast::sigmoid_grad", "fast::softplus",     "fast::log_sigmoid",
    "fast::silu",       "fast::silu_grad",      "bce_with_logits (loss, hard labels)",
    "bce_with_logits (loss, all options)", "bce_with_logits_grad (mean, hard labels)",
    "bce_with_logits_grad (none, all options)", "bce_with_logits_fused (grad, mean, hard)",
    "bce_with_logits_fused (grad, sum, all options)", "bce_with_logits (bad pos_weight)"};
constexpr std::size_t array_count = sizeof array_names / sizeof array_names[0];

constexpr const char* scalar_names[] = {
    "bce_with_logits reduced (mean, hard labels)", "bce_with_logits reduced (sum, all options)",
    "bce_with_logits_fused (mean, hard labels)",   "bce_with_logits_fused (sum, all options)",
    "status of the loss (hard labels)",            "status of the loss (all options)",
    "status of the gradient (hard labels)",        "status of the gradient (all options)",
    "status with a bad pos_weight"};
constexpr std::size_t scalar_count = sizeof scalar_names / sizeof scalar_names[0];

// A reference: the calls through the header-only functions of one architecture.
using reference_float = void (*)(const inputs<float>&, float* out, float* scalars);
using reference_double = void (*)(const inputs<double>&, double* out, double* scalars);

}  // namespace dispatch_test

#endif
