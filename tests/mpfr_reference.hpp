// Test support: sigma(x) for double x with MPFR at 160 bits, and the error of
// a double result in ULPs of that exact value.
#ifndef LOGISTIC_TESTS_MPFR_REFERENCE_HPP
#define LOGISTIC_TESTS_MPFR_REFERENCE_HPP

#include <mpfr.h>

#include <cmath>
#include <limits>

namespace logistic_test {

class mpfr_sigmoid {
 public:
  mpfr_sigmoid() {
    mpfr_inits2(160, x_, s_, t_, static_cast<mpfr_ptr>(nullptr));
  }
  ~mpfr_sigmoid() { mpfr_clears(x_, s_, t_, static_cast<mpfr_ptr>(nullptr)); }
  mpfr_sigmoid(const mpfr_sigmoid&) = delete;
  mpfr_sigmoid& operator=(const mpfr_sigmoid&) = delete;

  // sigma(x) = 1 / (1 + e^-x) at 160 bits (MPFR's exponent range holds e^745).
  void compute(double x) {
    mpfr_set_d(x_, x, MPFR_RNDN);
    mpfr_neg(t_, x_, MPFR_RNDN);
    mpfr_exp(t_, t_, MPFR_RNDN);
    mpfr_add_ui(t_, t_, 1, MPFR_RNDN);
    mpfr_ui_div(s_, 1, t_, MPFR_RNDN);
  }

  // The exact value rounded to double (for reports).
  double value() const { return mpfr_get_d(s_, MPFR_RNDN); }

  // |y - sigma(x)| / ulp(sigma(x)) for a result of type T (float or double).
  template <class T>
  double ulp_error(T y) {
    if (std::isnan(static_cast<double>(y))) return std::numeric_limits<double>::infinity();
    mpfr_set_d(t_, static_cast<double>(y), MPFR_RNDN);
    mpfr_sub(t_, t_, s_, MPFR_RNDN);
    mpfr_abs(t_, t_, MPFR_RNDN);
    // ulp of the exact value: 2^(e - p) with s = m 2^e, m in [0.5, 1), or the
    // smallest subnormal below the smallest normal.
    const int p = std::numeric_limits<T>::digits;
    const long min_exp = std::numeric_limits<T>::min_exponent;  // 2^(min_exp-1) = min normal
    long e = mpfr_get_exp(s_);
    if (mpfr_zero_p(s_) || e < min_exp) e = min_exp;
    mpfr_mul_2si(t_, t_, p - e, MPFR_RNDN);
    return mpfr_get_d(t_, MPFR_RNDU);
  }

 private:
  mpfr_t x_, s_, t_;
};

}  // namespace logistic_test

#endif
