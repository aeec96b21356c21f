// One of the two translation units of the ODR test (see odr_main.cpp). On x86-64 this one is
// compiled for baseline x86-64 (SSE2) and odr_a.cpp for AVX2 + FMA; elsewhere both get the
// default flags. The two files are the same apart from the suffix of their functions.
#include <cstddef>

#include <logistic/logistic.hpp>
#include <xsimd/xsimd.hpp>

namespace odr_test {

using scalar_f = float (*)(float);
using scalar_d = double (*)(double);
using array_f = void (*)(const float*, float*, std::size_t);
using array_d = void (*)(const double*, double*, std::size_t);

const char* arch_b() { return xsimd::default_arch::name(); }

// The addresses of the definitions this translation unit links against. With one set of
// definitions per architecture they differ from odr_a.cpp's; a shared inline function
// would be folded by the linker into one (and that one may use instructions the other
// translation unit's target lacks).
scalar_f sigmoid_scalar_f_b() { return static_cast<scalar_f>(logistic::sigmoid); }
scalar_d sigmoid_scalar_d_b() { return static_cast<scalar_d>(logistic::sigmoid); }
array_f sigmoid_array_f_b() { return static_cast<array_f>(logistic::sigmoid); }
array_d sigmoid_array_d_b() { return static_cast<array_d>(logistic::sigmoid); }
scalar_f fast_sigmoid_scalar_f_b() { return static_cast<scalar_f>(logistic::fast::sigmoid); }
scalar_d fast_sigmoid_scalar_d_b() { return static_cast<scalar_d>(logistic::fast::sigmoid); }
array_f fast_sigmoid_array_f_b() { return static_cast<array_f>(logistic::fast::sigmoid); }
array_d fast_sigmoid_array_d_b() { return static_cast<array_d>(logistic::fast::sigmoid); }

// logistic::sigmoid through direct calls, scalar form into `scalar`, array form into `array`.
void run_f_b(const float* in, float* scalar, float* array, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) scalar[i] = logistic::sigmoid(in[i]);
  logistic::sigmoid(in, array, n);
}

void run_d_b(const double* in, double* scalar, double* array, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) scalar[i] = logistic::sigmoid(in[i]);
  logistic::sigmoid(in, array, n);
}

}  // namespace odr_test
