// Build-mode test (issue 6): every public function of logistic instantiated for float and
// double in one translation unit, with the special values of each contract block, built and
// run in the modes a user may compile the library in. tests/CMakeLists.txt builds it as
//
//   test_mode_no_exceptions   -fno-exceptions -fno-rtti (C++17): design §4 says the library
//                             compiles and works without exceptions;
//   test_mode_cxx20           the same file as C++20;
//   test_mode_fast_math       compiled AND linked with -ffast-math, as a caller's translation
//                             unit would be (the kernels are inlined into it), which also
//                             links crtfastmath.o and so runs with FTZ/DAZ set (x86). See the
//                             README section "Hardening" for what holds there.
//
// No Catch2 (it needs exceptions): each check prints a line, the exit code is the number of
// failures (0: passed). NaN and infinity are recognized from the bits, never by a
// floating-point comparison, so that -ffinite-math-only cannot fold the checks themselves
// away; inputs go through a volatile so that no call is evaluated at compile time.
//
// LOGISTIC_MODE_FAST_MATH (set for test_mode_fast_math) marks the checks that are not
// expected to hold under -ffast-math: they still run and print "known", but do not fail.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include <logistic/logistic.hpp>
#include <xsimd/xsimd.hpp>

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>
#define LOGISTIC_MODE_HAS_MXCSR 1
#endif

#if defined(LOGISTIC_MODE_FAST_MATH)
constexpr bool kFastMath = true;
#else
constexpr bool kFastMath = false;
#endif

namespace {

int failures = 0;
int known = 0;

template <class T>
using bits_t = typename std::conditional<sizeof(T) == 4, std::uint32_t, std::uint64_t>::type;

template <class T>
bits_t<T> bits_of(T x) {
  bits_t<T> b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

template <class T>
T from_bits(bits_t<T> b) {
  T x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

template <class T>
constexpr bits_t<T> sign_mask() {
  return bits_t<T>(1) << (sizeof(T) * 8 - 1);
}

template <class T>
constexpr bits_t<T> exponent_mask() {
  return sizeof(T) == 4 ? bits_t<T>(0x7f800000u) : bits_t<T>(0x7ff0000000000000ull);
}

template <class T>
bool is_nan_bits(T x) {
  return (bits_of(x) & ~sign_mask<T>()) > exponent_mask<T>();
}

template <class T>
bool is_inf_bits(T x) {
  return (bits_of(x) & ~sign_mask<T>()) == exponent_mask<T>();
}

template <class T>
bool is_negative_bits(T x) {
  return (bits_of(x) & sign_mask<T>()) != 0;
}

// Subnormal and not zero.
template <class T>
bool is_subnormal_bits(T x) {
  const bits_t<T> magnitude = bits_of(x) & ~sign_mask<T>();
  return magnitude != 0 && (magnitude & exponent_mask<T>()) == 0;
}

template <class T>
T nan_value() {
  return from_bits<T>(exponent_mask<T>() | (bits_t<T>(1) << (std::numeric_limits<T>::digits - 2)));
}

template <class T>
T inf_value() {
  return from_bits<T>(exponent_mask<T>());
}

// Through a volatile: the compiler sees an unknown value.
template <class T>
T opaque(T x) {
  volatile T v = x;
  return v;
}

template <class T>
const char* type_name() {
  return sizeof(T) == 4 ? "float" : "double";
}

// One check. `holds_under_fast_math` false: under -ffast-math a failure is reported as
// known, not counted.
void check(bool ok, const char* type, const char* what, bool holds_under_fast_math = true) {
  if (ok) {
    std::printf("ok    %-6s %s\n", type, what);
  } else if (kFastMath && !holds_under_fast_math) {
    std::printf("known %-6s %s (does not hold under -ffast-math; README \"Hardening\")\n", type,
                what);
    ++known;
  } else {
    std::printf("FAIL  %-6s %s\n", type, what);
    ++failures;
  }
}

template <class T>
bool same_bits(T a, T b) {
  return bits_of(a) == bits_of(b);
}

// The scalar and array forms of `f` agree bit for bit (NaN: any NaN) on `inputs`.
template <class T, class Scalar, class Array>
bool forms_agree(const std::vector<T>& inputs, Scalar scalar, Array array) {
  std::vector<T> out(inputs.size());
  array(inputs.data(), out.data(), inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const T s = scalar(inputs[i]);
    if (!same_bits(s, out[i]) && !(is_nan_bits(s) && is_nan_bits(out[i]))) return false;
  }
  return true;
}

template <class T>
std::vector<T> sample_inputs() {
  using lim = std::numeric_limits<T>;
  std::vector<T> v = {T(0), -T(0), T(1), -T(1), T(0.5), inf_value<T>(), -inf_value<T>(),
                      nan_value<T>(), lim::max(), -lim::max(), lim::min(), -lim::min(),
                      lim::denorm_min(), -lim::denorm_min(), T(20), -T(20), T(100), -T(100),
                      T(800), -T(800)};
  // Spread over the bit space: every sign, every binade.
  const bits_t<T> step = static_cast<bits_t<T>>(std::numeric_limits<bits_t<T>>::max() / 4099);
  bits_t<T> b = 0;
  for (int i = 0; i < 4099; ++i, b = static_cast<bits_t<T>>(b + step)) v.push_back(from_bits<T>(b));
  return v;
}

// ---------------------------------------------------------------------------------------
template <class T>
void run_elementwise() {
  const char* t = type_name<T>();
  const T nan = opaque(nan_value<T>());
  const T inf = opaque(inf_value<T>());
  const T zero = opaque(T(0));
  const T one = opaque(T(1));
  // e^-100 is subnormal in float, normal in double; e^-740 subnormal in double.
  const T deep = opaque(sizeof(T) == 4 ? T(-100) : T(-740));
  const std::vector<T> inputs = sample_inputs<T>();

  // sigmoid, faithful and fast
  check(is_nan_bits(logistic::sigmoid(nan)), t, "sigmoid(NaN) = NaN", false);
  check(same_bits(logistic::sigmoid(inf), T(1)), t, "sigmoid(+inf) = 1");
  check(same_bits(logistic::sigmoid(-inf), T(0)), t, "sigmoid(-inf) = +0");
  check(same_bits(logistic::sigmoid(zero), T(0.5)), t, "sigmoid(0) = 0.5");
  check(same_bits(logistic::sigmoid(opaque(std::numeric_limits<T>::max())), T(1)), t,
        "sigmoid(max) = 1");
  check(is_subnormal_bits(logistic::sigmoid(deep)), t,
        "sigmoid(deep negative) is subnormal, not flushed", false);
  check(is_nan_bits(logistic::fast::sigmoid(nan)), t, "fast::sigmoid(NaN) = NaN", false);
  check(same_bits(logistic::fast::sigmoid(inf), T(1)), t, "fast::sigmoid(+inf) = 1");
  check(same_bits(logistic::fast::sigmoid(-inf), T(0)), t, "fast::sigmoid(-inf) = +0");
  check(forms_agree<T>(inputs, [](T x) { return logistic::sigmoid(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::sigmoid(in, out, n); }),
        t, "sigmoid: scalar and array forms agree");
  check(forms_agree<T>(inputs, [](T x) { return logistic::fast::sigmoid(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::fast::sigmoid(in, out, n); }),
        t, "fast::sigmoid: scalar and array forms agree");
  {
    const xsimd::batch<T> b(opaque(T(2)));
    alignas(64) T lanes[xsimd::batch<T>::size];
    logistic::sigmoid(b).store_unaligned(lanes);
    check(same_bits(lanes[0], logistic::sigmoid(opaque(T(2)))), t, "sigmoid: batch = scalar");
  }

  // affine and temperature
  {
    const logistic::affine<T> identity{T(1), T(0)};
    check(forms_agree<T>(inputs, [&](T x) { return logistic::sigmoid(x, identity); },
                         [](const T* in, T* out, std::size_t n) { logistic::sigmoid(in, out, n); }),
          t, "sigmoid(x, {1, 0}) = sigmoid(x)");
    const logistic::affine<T> bad = logistic::temperature(opaque(T(0)));
    check(is_nan_bits(bad.scale) && is_nan_bits(bad.bias), t, "temperature(0) = {NaN, NaN}", false);
    const logistic::affine<T> half = logistic::temperature(opaque(T(2)));
    std::vector<T> out(inputs.size());
    logistic::fast::sigmoid(inputs.data(), out.data(), inputs.size(), half);
    check(same_bits(out[2], logistic::fast::sigmoid(T(0.5))), t, "fast::sigmoid(1, temperature(2))");
  }

  // logit
  check(is_inf_bits(logistic::logit(zero)) && is_negative_bits(logistic::logit(zero)), t,
        "logit(0) = -inf");
  check(is_inf_bits(logistic::logit(one)) && !is_negative_bits(logistic::logit(one)), t,
        "logit(1) = +inf");
  check(same_bits(logistic::logit(opaque(T(0.5))), T(0)), t, "logit(0.5) = +0");
  check(is_nan_bits(logistic::logit(opaque(T(1.5)))), t, "logit(1.5) = NaN", false);
  check(is_nan_bits(logistic::logit(opaque(-T(0.25)))), t, "logit(-0.25) = NaN", false);
  check(is_nan_bits(logistic::logit(nan)), t, "logit(NaN) = NaN", false);
  check(same_bits(logistic::logit(opaque(T(2)), opaque(T(0.25))),
                  logistic::logit(opaque(T(0.75)))),
        t, "logit(2, eps 0.25) = logit(0.75)");
  check(is_nan_bits(logistic::logit(opaque(T(0.5)), opaque(T(0.75)))), t,
        "logit(p, eps 0.75) = NaN (invalid eps)", false);
  check(forms_agree<T>(inputs, [](T x) { return logistic::logit(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::logit(in, out, n); }),
        t, "logit: scalar and array forms agree");

  // softplus and log_sigmoid
  check(is_inf_bits(logistic::softplus(inf)), t, "softplus(+inf) = +inf");
  check(same_bits(logistic::softplus(-inf), T(0)), t, "softplus(-inf) = +0");
  check(is_nan_bits(logistic::softplus(nan)), t, "softplus(NaN) = NaN", false);
  check(is_subnormal_bits(logistic::softplus(deep)), t,
        "softplus(deep negative) is subnormal, not flushed", false);
  check(is_inf_bits(logistic::log_sigmoid(-inf)) && is_negative_bits(logistic::log_sigmoid(-inf)),
        t, "log_sigmoid(-inf) = -inf");
  check(same_bits(logistic::log_sigmoid(inf), -T(0)), t, "log_sigmoid(+inf) = -0");
  check(is_nan_bits(logistic::fast::log_sigmoid(nan)), t, "fast::log_sigmoid(NaN) = NaN", false);
  check(same_bits(logistic::fast::softplus(-inf), T(0)), t, "fast::softplus(-inf) = +0");
  check(forms_agree<T>(inputs, [](T x) { return logistic::softplus(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::softplus(in, out, n); }),
        t, "softplus: scalar and array forms agree");
  check(forms_agree<T>(inputs, [](T x) { return logistic::fast::log_sigmoid(x); },
                       [](const T* in, T* out, std::size_t n) {
                         logistic::fast::log_sigmoid(in, out, n);
                       }),
        t, "fast::log_sigmoid: scalar and array forms agree");

  // sigmoid_grad and sigmoid_backward
  check(same_bits(logistic::sigmoid_grad(inf), T(0)), t, "sigmoid_grad(+inf) = +0");
  check(same_bits(logistic::sigmoid_grad(-inf), T(0)), t, "sigmoid_grad(-inf) = +0");
  check(same_bits(logistic::sigmoid_grad(zero), T(0.25)), t, "sigmoid_grad(0) = 0.25");
  check(is_nan_bits(logistic::sigmoid_grad(nan)), t, "sigmoid_grad(NaN) = NaN", false);
  check(is_subnormal_bits(logistic::sigmoid_grad(deep)), t,
        "sigmoid_grad(deep) is subnormal, not flushed", false);
  check(same_bits(logistic::fast::sigmoid_grad(-inf), T(0)), t, "fast::sigmoid_grad(-inf) = +0");
  check(same_bits(logistic::sigmoid_backward(opaque(T(0.5)), one), T(0.25)), t,
        "sigmoid_backward(0.5, 1) = 0.25");
  check(is_nan_bits(logistic::sigmoid_backward(zero, inf)), t, "sigmoid_backward(0, inf) = NaN",
        false);
  check(is_nan_bits(logistic::sigmoid_backward(nan, one)), t, "sigmoid_backward(NaN, 1) = NaN",
        false);
  {
    std::vector<T> dy(inputs.size(), T(1)), dx(inputs.size());
    logistic::sigmoid_backward(inputs.data(), dy.data(), dx.data(), inputs.size());
    bool agree = true;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const T s = logistic::sigmoid_backward(inputs[i], T(1));
      agree = agree && (same_bits(s, dx[i]) || (is_nan_bits(s) && is_nan_bits(dx[i])));
    }
    check(agree, t, "sigmoid_backward: scalar and array forms agree");
  }
  check(forms_agree<T>(inputs, [](T x) { return logistic::sigmoid_grad(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::sigmoid_grad(in, out, n); }),
        t, "sigmoid_grad: scalar and array forms agree");

  // silu and silu_grad
  check(is_inf_bits(logistic::silu(inf)), t, "silu(+inf) = +inf");
  check(same_bits(logistic::silu(-inf), -T(0)), t, "silu(-inf) = -0");
  check(same_bits(logistic::silu(opaque(-T(0))), -T(0)), t, "silu(-0) = -0", false);
  check(is_nan_bits(logistic::silu(nan)), t, "silu(NaN) = NaN", false);
  check(same_bits(logistic::silu_grad(inf), T(1)), t, "silu_grad(+inf) = 1");
  check(same_bits(logistic::silu_grad(-inf), -T(0)), t, "silu_grad(-inf) = -0");
  check(same_bits(logistic::silu_grad(zero), T(0.5)), t, "silu_grad(0) = 0.5");
  check(is_nan_bits(logistic::fast::silu_grad(nan)), t, "fast::silu_grad(NaN) = NaN", false);
  check(same_bits(logistic::fast::silu(-inf), -T(0)), t, "fast::silu(-inf) = -0");
  check(forms_agree<T>(inputs, [](T x) { return logistic::silu(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::silu(in, out, n); }),
        t, "silu: scalar and array forms agree");
  check(forms_agree<T>(inputs, [](T x) { return logistic::fast::silu_grad(x); },
                       [](const T* in, T* out, std::size_t n) { logistic::fast::silu_grad(in, out, n); }),
        t, "fast::silu_grad: scalar and array forms agree");
}

// ---------------------------------------------------------------------------------------
template <class T>
void run_bce() {
  const char* t = type_name<T>();
  const T inf = opaque(inf_value<T>());
  const T nan = opaque(nan_value<T>());
  const T one = opaque(T(1));
  const T zero = opaque(T(0));
  check(same_bits(logistic::bce_with_logits(inf, one), T(0)), t, "bce(+inf, 1) = 0");
  check(same_bits(logistic::bce_with_logits(-inf, zero), T(0)), t, "bce(-inf, 0) = 0");
  check(is_inf_bits(logistic::bce_with_logits(inf, zero)), t, "bce(+inf, 0) = +inf");
  check(is_nan_bits(logistic::bce_with_logits(nan, one)), t, "bce(NaN, 1) = NaN", false);
  check(!is_nan_bits(logistic::bce_with_logits_grad(inf, zero)), t, "bce_grad(+inf, 0) finite");

  std::vector<T> x = {T(-3), T(-1), T(0), T(0.5), T(2), T(40), T(-40), T(7)};
  std::vector<T> y = {T(0), T(1), T(0.5), T(1), T(0), T(1), T(0), T(0.25)};
  std::vector<T> loss(x.size()), grad(x.size()), fused(x.size());
  const std::size_t n = x.size();
  check(logistic::bce_with_logits(x.data(), y.data(), loss.data(), n) == logistic::bce_status::ok,
        t, "bce elementwise: status ok");
  bool agree = true;
  for (std::size_t i = 0; i < n; ++i) agree = agree && same_bits(loss[i], logistic::bce_with_logits(x[i], y[i]));
  check(agree, t, "bce: scalar and array losses agree");
  const T mean = logistic::bce_with_logits(x.data(), y.data(), n);
  check(!is_nan_bits(mean) && mean > T(0), t, "bce reduced mean finite and > 0");
  check(logistic::bce_with_logits_grad(x.data(), y.data(), grad.data(), n, {},
                                       logistic::reduction::none) == logistic::bce_status::ok,
        t, "bce grad: status ok");
  const T fused_mean = logistic::bce_with_logits_fused(x.data(), y.data(), fused.data(), n);
  check(!is_nan_bits(fused_mean), t, "bce fused: finite");
  logistic::bce_options<T> bad;
  bad.pos_weight = -T(1);
  check(logistic::bce_with_logits(x.data(), y.data(), loss.data(), n, bad) ==
            logistic::bce_status::bad_pos_weight,
        t, "bce: pos_weight -1 is reported");
  check(is_nan_bits(logistic::bce_with_logits(static_cast<const T*>(nullptr),
                                              static_cast<const T*>(nullptr), 0)),
        t, "bce: mean of 0 elements is NaN", false);
  check(std::strlen(logistic::bce_status_message(logistic::bce_status::ok)) > 0, t,
        "bce_status_message");
}

// ---------------------------------------------------------------------------------------
template <class T>
void run_calibration() {
  const char* t = type_name<T>();
  std::vector<T> p, label, logit;
  for (int i = 0; i < 200; ++i) {
    const T z = static_cast<T>((i % 40) - 20) / T(4);
    logit.push_back(z);
    p.push_back(logistic::sigmoid(z));
    label.push_back(((i * 7919) % 200) < 100 + 4 * ((i % 40) - 20) ? T(1) : T(0));
  }
  const std::size_t n = p.size();
  using logistic::calibration_status;
  check(logistic::expected_calibration_error(p.data(), label.data(), n).status ==
            calibration_status::ok,
        t, "expected_calibration_error: ok");
  check(logistic::maximum_calibration_error(p.data(), label.data(), n, 10,
                                            logistic::binning::equal_mass)
                .status == calibration_status::ok,
        t, "maximum_calibration_error (equal mass): ok");
  check(logistic::brier_score(p.data(), label.data(), n).status == calibration_status::ok, t,
        "brier_score: ok");
  check(logistic::log_loss(p.data(), label.data(), n).status == calibration_status::ok, t,
        "log_loss: ok");
  check(logistic::log_loss_from_logits(logit.data(), label.data(), n).status ==
            calibration_status::ok,
        t, "log_loss_from_logits: ok");
  const logistic::reliability_diagram diagram = logistic::reliability_bins(p.data(), label.data(), n);
  check(diagram.status == calibration_status::ok && diagram.bins.size() == 15, t,
        "reliability_bins: ok, 15 bins");
  check(logistic::expected_calibration_error(p.data(), label.data(), n, 0).status !=
            calibration_status::ok,
        t, "expected_calibration_error with 0 bins is reported");

  const logistic::temperature_fit<T> tf = logistic::fit_temperature(logit.data(), label.data(), n);
  check(tf.status == calibration_status::ok && tf.temperature > T(0), t, "fit_temperature: ok");
  std::vector<T> calibrated(n);
  logistic::sigmoid(logit.data(), calibrated.data(), n, tf.transform());
  const logistic::platt_fit<T> pf = logistic::fit_platt(logit.data(), label.data(), n);
  check(pf.status == calibration_status::ok, t, "fit_platt: ok");
  const logistic::isotonic_fit<T> iso = logistic::fit_isotonic(p.data(), label.data(), n);
  check(iso.status == calibration_status::ok && !iso.calibrator.empty(), t, "fit_isotonic: ok");
  iso.calibrator.apply(p.data(), calibrated.data(), n);
  check(!is_nan_bits(iso.calibrator(T(0.5))), t, "isotonic_calibrator(0.5) is a number");
  const logistic::output_summary s = logistic::summarize(p.data(), n);
  check(s.status == calibration_status::ok && s.count == n && s.nan_count == 0, t,
        "summarize: ok");
  check(std::strlen(logistic::calibration_status_message(calibration_status::ok)) > 0, t,
        "calibration_status_message");
}

}  // namespace

int main() {
  std::printf("logistic %d.%d.%d, xsimd arch %s, C++ %ld%s%s%s\n", LOGISTIC_VERSION_MAJOR,
              LOGISTIC_VERSION_MINOR, LOGISTIC_VERSION_PATCH, xsimd::default_arch::name(),
              static_cast<long>(__cplusplus),
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
              ", exceptions on",
#else
              ", exceptions off",
#endif
#if defined(__GXX_RTTI) || defined(__cpp_rtti)
              ", RTTI on",
#else
              ", RTTI off",
#endif
              kFastMath ? ", -ffast-math" : "");
#if defined(LOGISTIC_MODE_HAS_MXCSR)
  const unsigned csr = _mm_getcsr();
  std::printf("MXCSR at start: FTZ %s, DAZ %s\n", (csr & 0x8000u) ? "on" : "off",
              (csr & 0x0040u) ? "on" : "off");
#endif
  run_elementwise<float>();
  run_elementwise<double>();
  run_bce<float>();
  run_bce<double>();
  run_calibration<float>();
  run_calibration<double>();
  std::printf("%d failure(s)%s\n", failures,
              known ? ", some checks known not to hold under -ffast-math (see above)" : "");
  return failures == 0 ? 0 : 1;
}
