// Test support (x86): the faithful tier promises results that do not depend on the
// flush-to-zero and denormals-are-zero modes (design §3). check_ftz_daz runs an evaluation
// once with both MXCSR bits clear and once with both set, and requires bit-identical outputs.
#ifndef LOGISTIC_TESTS_FTZ_DAZ_HPP
#define LOGISTIC_TESTS_FTZ_DAZ_HPP

#if defined(__SSE2__)
#include <xmmintrin.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "failure_log.hpp"
#include "reference.hpp"

namespace logistic_test {

constexpr unsigned ftz_daz_bits = 0x8040u;  // MXCSR flush-to-zero (bit 15), DAZ (bit 6)

// Sets FTZ and DAZ on or off for this thread while in scope; restores MXCSR after.
class mxcsr_mode {
 public:
  explicit mxcsr_mode(bool flush) : saved_(_mm_getcsr()) {
    _mm_setcsr((saved_ & ~ftz_daz_bits) | (flush ? ftz_daz_bits : 0u));
  }
  ~mxcsr_mode() { _mm_setcsr(saved_); }
  mxcsr_mode(const mxcsr_mode&) = delete;
  mxcsr_mode& operator=(const mxcsr_mode&) = delete;

 private:
  unsigned saved_;
};

// Whether this thread flushes: a subnormal product (FTZ) and a subnormal operand (DAZ).
template <class T>
__attribute__((noinline)) bool flushes() {
  volatile T tiny = std::numeric_limits<T>::min();
  volatile T sub = std::numeric_limits<T>::denorm_min();
  const T product = tiny * T(0.5);
  const T operand = sub * T(1);
  return product == T(0) && operand == T(0);
}

// Out of line, so that the compiler cannot move the evaluation across the MXCSR change.
template <class T, class Eval>
__attribute__((noinline)) void evaluate_out_of_line(const Eval& eval, std::vector<T>& array_out,
                                                    std::vector<T>& scalar_out) {
  eval(array_out, scalar_out);
}

inline std::string hex(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%a", v);
  return buffer;
}

// The faithful tier's promise: the flush bits change nothing.
struct bit_identical {
  template <class T>
  bool operator()(T by_default, T flushed) const {
    return bits(by_default) == bits(flushed);
  }
};

// eval(array_out, scalar_out) fills both vectors (size of `input`) with the array form's
// and the scalar form's results for input[i]; `input` only labels the failures. Each
// result must `agree` with itself computed with the flush bits set.
template <class T, class Eval, class Agree = bit_identical>
void check_ftz_daz(const char* what, const std::vector<T>& input, const Eval& eval,
                   const Agree& agree = Agree{}) {
  const std::size_t n = input.size();
  std::vector<T> array_default(n), scalar_default(n), array_flush(n), scalar_flush(n);
  bool default_flushes = true, flush_flushes = false;
  {
    const mxcsr_mode mode(false);
    default_flushes = flushes<T>();
    evaluate_out_of_line(eval, array_default, scalar_default);
  }
  {
    const mxcsr_mode mode(true);
    flush_flushes = flushes<T>();
    evaluate_out_of_line(eval, array_flush, scalar_flush);
  }
  REQUIRE_FALSE(default_flushes);
  REQUIRE(flush_flushes);
  failure_log failures;
  for (std::size_t i = 0; i < n; ++i) {
    const bool differ = !agree(array_default[i], array_flush[i]) ||
                        !agree(scalar_default[i], scalar_flush[i]);
    if (differ && failures.record()) {
      failures.describe("input " + hex(double(input[i])) + ": " + hex(double(array_default[i])) +
                        " / " + hex(double(scalar_default[i])) + " by default, " +
                        hex(double(array_flush[i])) + " / " + hex(double(scalar_flush[i])) +
                        " with FTZ+DAZ (array / scalar)");
    }
  }
  INFO(what << " (" << (sizeof(T) == 4 ? "float" : "double") << "), " << n << " inputs, "
            << failures.count() << " differ:\n"
            << failures.first());
  CHECK(failures.count() == 0);
}

}  // namespace logistic_test

#endif  // __SSE2__
#endif
