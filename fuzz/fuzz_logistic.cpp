// libFuzzer target: every public array entry point of logistic, float and double.
//
// One binary, a selector byte: the first bytes of an input choose the function, the type, the
// length, the offsets of the arrays from their allocation (misalignment: 0 to 15 elements),
// in place or out of place, how the remaining bytes become values (raw bit patterns, a
// moderate range, special values, the function's domain) and the parameters (affine scale
// and bias, logit's eps, BCE's options and reduction, all of them sometimes invalid). Each
// array is its own heap allocation of exactly offset + n elements, so AddressSanitizer sees
// any read or write past n.
//
// Checked for every element (a failure prints the case and aborts, which libFuzzer records):
//   - the array form gives the same bits as the scalar form (design §1), and as the batch
//     form on the same values;
//   - the documented ranges and special values of each header's contract block: sigma in
//     [0, 1], sigmoid_grad in [0, 0.25] and even, log_sigmoid <= -0 and exactly
//     -softplus(-x), softplus >= +0 and >= x, silu of the sign of x and no larger than |x|,
//     silu_grad within its extrema, logit NaN outside [0, 1] and odd about 1/2,
//     logit(p, eps) = logit(clamp(p, eps, 1 - eps)), the affine form = sigmoid(z) with z
//     rounded once where the target has a fused multiply-add, no NaN from a non-NaN input
//     (where the contract promises it);
//   - BCE: scalar forms = array forms, losses >= 0 and not NaN and gradients finite for
//     valid inputs, the statuses and NaN fill of bad options, the fused pass returns the
//     reduced loss bit for bit and its gradient of an element does not depend on its
//     neighbours, the reduced loss agrees with the sum of the elementwise losses.
//
// Built by fuzz/CMakeLists.txt (option LOGISTIC_BUILD_FUZZ, clang only) once per
// architecture flavor; .ci/hardening.sh runs each for a fixed time.
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include <logistic/logistic.hpp>
#include <xsimd/xsimd.hpp>

namespace {

// ---------------------------------------------------------------------------------------
// Bits and classification without floating-point comparisons of NaN.
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
bool same_bits(T a, T b) {
  return bits_of(a) == bits_of(b);
}

// The forms agree bit for bit, except that two NaNs match whatever their payloads: which
// NaN an operation with two NaN operands returns depends on the operand order the compiler
// picked (it may swap a commutative a * b), and IEEE 754 leaves the payload unspecified.
template <class T>
bool same_result(T a, T b) {
  return same_bits(a, b) || (std::isnan(a) && std::isnan(b));
}

template <class T>
bool is_nan(T x) {
  return std::isnan(x);
}

template <class T>
bool is_inf(T x) {
  return std::isinf(x);
}

template <class T>
bool is_finite(T x) {
  return std::isfinite(x);
}

template <class T>
bool sign_bit(T x) {
  return std::signbit(x);
}

template <class T>
const char* type_name() {
  return sizeof(T) == 4 ? "float" : "double";
}

// ---------------------------------------------------------------------------------------
// Failure report.
struct context {
  const char* function = "";
  const char* type = "";
  std::size_t n = 0;
  std::size_t in_offset = 0;
  std::size_t out_offset = 0;
  bool in_place = false;
  unsigned value_mode = 0;
  char parameters[160] = "";
};

context g_ctx;

[[noreturn]] void fail(const char* what, std::size_t i, double a, double b, double c) {
  std::fprintf(stderr,
               "\nFUZZ FAILURE: %s<%s>: %s\n  element %zu of n = %zu (in offset %zu, out offset "
               "%zu, %s, value mode %u)\n  parameters: %s\n  values: %.17g, %.17g, %.17g\n",
               g_ctx.function, g_ctx.type, what, i, g_ctx.n, g_ctx.in_offset, g_ctx.out_offset,
               g_ctx.in_place ? "in place" : "out of place", g_ctx.value_mode, g_ctx.parameters, a,
               b, c);
  std::abort();
}

template <class T>
[[noreturn]] void fail_t(const char* what, std::size_t i, T a, T b, T c = T(0)) {
  fail(what, i, static_cast<double>(a), static_cast<double>(b), static_cast<double>(c));
}

#define FUZZ_CHECK(cond, what, i, a, b) \
  do {                                  \
    if (!(cond)) fail_t(what, i, a, b); \
  } while (0)

// ---------------------------------------------------------------------------------------
// Input reader.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() {
    if (pos_ >= size_) return 0;
    return data_[pos_++];
  }
  template <class U>
  U take() {
    U u = 0;
    for (std::size_t k = 0; k < sizeof(U); ++k) u = static_cast<U>((u << 8) | U(byte()));
    return u;
  }
  std::size_t remaining() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A heap array of exactly offset + n elements, used from offset on.
template <class T>
class buffer {
 public:
  buffer(std::size_t offset, std::size_t n) : base_(new T[offset + n]), data_(base_ + offset) {}
  ~buffer() { delete[] base_; }
  buffer(const buffer&) = delete;
  buffer& operator=(const buffer&) = delete;
  T* data() { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }

 private:
  T* base_;
  T* data_;
};

template <class T>
T special_value(std::uint8_t k) {
  using lim = std::numeric_limits<T>;
  const bool f = sizeof(T) == 4;
  // clang-format off
  const T table[] = {
      T(0), -T(0), T(1), -T(1), T(0.5), lim::infinity(), -lim::infinity(), lim::quiet_NaN(),
      -lim::quiet_NaN(), lim::max(), -lim::max(), lim::min(), -lim::min(), lim::denorm_min(),
      -lim::denorm_min(), lim::epsilon(), T(1) - lim::epsilon() / 2, T(0.5) - lim::epsilon() / 4,
      f ? T(17.328680) : T(37.429947), f ? T(-87.336544) : T(-708.39642),
      f ? T(-103.97208) : T(-745.13322), f ? T(88.722839) : T(709.78271),
      T(40), T(45), T(-1.2784645), f ? T(14.556091) : T(33.271065), T(-91.8), T(-108.7),
      T(2.3994), T(-2.3994), T(15.75), T(-15.75), f ? T(16.64) : T(36.74), T(-744.4),
      T(-751.8), T(1e30), T(-1e30), T(4.29e26), T(-4.29e26), T(3e-39), T(-5e-324)};
  // clang-format on
  constexpr std::size_t count = sizeof(table) / sizeof(table[0]);
  return table[k % count];
}

// How the bytes of an element become a value.
enum value_mode : unsigned { raw = 0, moderate = 1, specials = 2, domain = 3 };

template <class T>
T make_value(reader& r, unsigned mode, bool unit_domain) {
  const bits_t<T> b = r.take<bits_t<T>>();
  switch (mode) {
    case moderate: {
      // [-128, 128) in steps of 2^-8 (float) / 2^-40 (double): the common paths.
      const auto s = static_cast<std::int64_t>(b & ((bits_t<T>(1) << (sizeof(T) == 4 ? 16 : 48)) - 1));
      const std::int64_t half = std::int64_t(1) << (sizeof(T) == 4 ? 15 : 47);
      return static_cast<T>(static_cast<double>(s - half) / static_cast<double>(half) * 128.0);
    }
    case specials:
      if (b & 0x80u) return special_value<T>(static_cast<std::uint8_t>(b & 0x7fu));
      return from_bits<T>(b);
    case domain:
      if (unit_domain) {
        // [0, 1]: a fraction with the full mantissa, and now and then a value near 0 or 1.
        const int digits = std::numeric_limits<T>::digits;
        const bits_t<T> m = b >> (sizeof(T) * 8 - static_cast<std::size_t>(digits));
        const T p = std::ldexp(static_cast<T>(m), -digits);
        if ((b & 3u) == 0) return std::ldexp(p, -static_cast<int>((b >> 2) & 127u));
        if ((b & 3u) == 1) return T(1) - std::ldexp(p, -static_cast<int>((b >> 2) & 31u));
        return p;
      }
      return from_bits<T>(b);
    default:
      return from_bits<T>(b);
  }
}

// ---------------------------------------------------------------------------------------
// The case layout, read from the first bytes.
struct layout {
  std::size_t n = 0;
  std::size_t in_offset = 0;
  std::size_t out_offset = 0;
  bool in_place = false;
  bool null_when_empty = false;
  unsigned mode = raw;
};

// streams: how many arrays of n values the remaining bytes must fill.
template <class T>
layout read_layout(reader& r, std::size_t streams) {
  layout l;
  const std::uint8_t flags = r.byte();
  const std::uint8_t offsets = r.byte();
  const std::uint16_t length = r.take<std::uint16_t>();
  l.in_place = flags & 1u;
  l.null_when_empty = flags & 2u;
  l.mode = (flags >> 2) & 3u;
  l.in_offset = offsets & 15u;
  l.out_offset = offsets >> 4;
  // Up to what the remaining bytes can fill (a parameter block of 32 bytes is reserved).
  const std::size_t reserve = 32;
  const std::size_t avail = r.remaining() > reserve ? r.remaining() - reserve : 0;
  const std::size_t fit = avail / (sizeof(T) * streams);
  l.n = length % (fit + 1);
  return l;
}

void set_context(const char* function, const char* type, const layout& l) {
  g_ctx.function = function;
  g_ctx.type = type;
  g_ctx.n = l.n;
  g_ctx.in_offset = l.in_offset;
  g_ctx.out_offset = l.out_offset;
  g_ctx.in_place = l.in_place;
  g_ctx.value_mode = l.mode;
  g_ctx.parameters[0] = '\0';
}

// ---------------------------------------------------------------------------------------
// Elementwise functions of one argument.
//
// F provides: static const char* name; array(in, out, n); scalar(x); batch(b);
// check(x, y, i) for the contract's ranges and special values (and relations to other
// functions, through their scalar forms).
template <class F, class T>
void run_unary(reader& r, const F& f) {
  const layout l = read_layout<T>(r, 1);
  set_context(F::name, type_name<T>(), l);
  const bool unit_domain = F::unit_domain;
  buffer<T> values(0, l.n);
  for (std::size_t i = 0; i < l.n; ++i) values[i] = make_value<T>(r, l.mode, unit_domain);
  const std::uint8_t param_bytes[16] = {r.byte(), r.byte(), r.byte(), r.byte(), r.byte(),
                                        r.byte(), r.byte(), r.byte(), r.byte(), r.byte(),
                                        r.byte(), r.byte(), r.byte(), r.byte(), r.byte(),
                                        r.byte()};
  F fn = f;
  fn.template set_parameters<T>(param_bytes);
  fn.template describe<T>(g_ctx.parameters, sizeof g_ctx.parameters);

  buffer<T> in(l.in_offset, l.n);
  buffer<T> separate_out(l.out_offset, l.n);
  for (std::size_t i = 0; i < l.n; ++i) in[i] = values[i];
  T* out = l.in_place ? in.data() : separate_out.data();
  if (l.n == 0 && l.null_when_empty) {
    fn.template array<T>(static_cast<const T*>(nullptr), static_cast<T*>(nullptr), 0);
    return;
  }
  fn.template array<T>(in.data(), out, l.n);
  if (!l.in_place) {
    for (std::size_t i = 0; i < l.n; ++i) {
      FUZZ_CHECK(same_bits(in[i], values[i]), "the array form wrote to its input", i, in[i],
                 values[i]);
    }
  }

  for (std::size_t i = 0; i < l.n; ++i) {
    const T x = values[i];
    const T y = out[i];
    const T s = fn.template scalar<T>(x);
    if (!same_result(y, s)) fail_t("array and scalar forms differ (bits)", i, x, y, s);
    fn.template check<T>(x, y, i);
  }

  // The batch form, on the same values (zero-padded last batch).
  using B = xsimd::batch<T>;
  constexpr std::size_t W = B::size;
  for (std::size_t i = 0; i < l.n; i += W) {
    alignas(B::arch_type::alignment()) T lanes[W] = {};
    for (std::size_t k = 0; k < W && i + k < l.n; ++k) lanes[k] = values[i + k];
    fn.template batch<T>(B::load_aligned(lanes)).store_aligned(lanes);
    for (std::size_t k = 0; k < W && i + k < l.n; ++k) {
      FUZZ_CHECK(same_result(lanes[k], out[i + k]), "array and batch forms differ (bits)", i + k,
                 values[i + k], lanes[k]);
    }
  }
}

// The checks shared by functions whose result is NaN exactly for NaN input.
template <class T>
void check_nan_rule(T x, T y, std::size_t i) {
  if (is_nan(x)) {
    FUZZ_CHECK(is_nan(y), "NaN input gave a non-NaN result", i, x, y);
  } else {
    FUZZ_CHECK(!is_nan(y), "non-NaN input gave NaN", i, x, y);
  }
}

struct no_parameters {
  template <class T>
  void set_parameters(const std::uint8_t*) {}
  template <class T>
  void describe(char*, std::size_t) const {}
  static constexpr bool unit_domain = false;
};

// Defines the three forms of a unary function `fn` of namespace `ns`.
#define FUZZ_UNARY_FORMS(ns, fn)                                               \
  template <class T>                                                           \
  void array(const T* in, T* out, std::size_t n) const {                       \
    ns::fn(in, out, n);                                                        \
  }                                                                            \
  template <class T>                                                           \
  T scalar(T x) const {                                                        \
    return ns::fn(x);                                                          \
  }                                                                            \
  template <class T>                                                           \
  xsimd::batch<T> batch(xsimd::batch<T> x) const {                             \
    return ns::fn(x);                                                          \
  }

template <bool Fast>
struct sigmoid_fn : no_parameters {
  static constexpr const char* name = Fast ? "fast::sigmoid" : "sigmoid";
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (Fast) logistic::fast::sigmoid(in, out, n);
    else logistic::sigmoid(in, out, n);
  }
  template <class T>
  T scalar(T x) const {
    return Fast ? logistic::fast::sigmoid(x) : logistic::sigmoid(x);
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return Fast ? logistic::fast::sigmoid(x) : logistic::sigmoid(x);
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    check_nan_rule(x, y, i);
    if (is_nan(x)) return;
    FUZZ_CHECK(y >= T(0) && y <= T(1), "sigma outside [0, 1]", i, x, y);
    FUZZ_CHECK(!sign_bit(y), "sigma is -0", i, x, y);
    if (x == T(0)) FUZZ_CHECK(y == T(0.5), "sigma(+-0) != 0.5", i, x, y);
    if (is_inf(x) && x > 0) FUZZ_CHECK(y == T(1), "sigma(+inf) != 1", i, x, y);
    if (is_inf(x) && x < 0) FUZZ_CHECK(same_bits(y, T(0)), "sigma(-inf) != +0", i, x, y);
    // Exactly 1 where the exact value rounds to 1 (faithful: 25 ln2 / 54 ln2).
    const T one_from = Fast ? (sizeof(T) == 4 ? T(16.64) : T(36.74))
                            : (sizeof(T) == 4 ? T(17.3287) : T(37.4300));
    if (x > one_from) FUZZ_CHECK(y == T(1), "sigma(large x) != 1", i, x, y);
    if (x > T(0)) FUZZ_CHECK(y >= T(0.5), "sigma(x > 0) < 0.5", i, x, y);
    if (x < T(0)) FUZZ_CHECK(y <= T(0.5), "sigma(x < 0) > 0.5", i, x, y);
  }
};

// sigmoid(in, out, n, affine<T>{scale, bias}).
template <bool Fast>
struct affine_fn {
  static constexpr const char* name = Fast ? "fast::sigmoid(affine)" : "sigmoid(affine)";
  static constexpr bool unit_domain = false;
  double scale_d = 1, bias_d = 0;
  std::uint8_t choice = 0;

  template <class T>
  static T pick(const std::uint8_t* p) {
    // Mostly ordinary scales and biases; now and then raw bits (inf, NaN, huge, tiny).
    if (p[0] & 1u) {
      bits_t<T> b = 0;
      for (std::size_t k = 0; k < sizeof(T); ++k) b = static_cast<bits_t<T>>((b << 8) | p[1 + k % 7]);
      return from_bits<T>(b);
    }
    const auto num = static_cast<std::int16_t>((p[1] << 8) | p[2]);
    return static_cast<T>(static_cast<double>(num) / 1024.0);
  }
  template <class T>
  void set_parameters(const std::uint8_t* p) {
    choice = p[15];
    scale_d = static_cast<double>(pick<T>(p));
    bias_d = static_cast<double>(pick<T>(p + 8));
    if ((choice & 7u) == 0) {  // the identity: must equal plain sigmoid
      scale_d = 1;
      bias_d = 0;
    }
  }
  template <class T>
  void describe(char* text, std::size_t size) const {
    const logistic::affine<T> t = a<T>();
    std::snprintf(text, size, "scale %.17g (bits %#llx), bias %.17g (bits %#llx)",
                  static_cast<double>(t.scale), static_cast<unsigned long long>(bits_of(t.scale)),
                  static_cast<double>(t.bias), static_cast<unsigned long long>(bits_of(t.bias)));
  }
  template <class T>
  logistic::affine<T> a() const {
    return {static_cast<T>(scale_d), static_cast<T>(bias_d)};
  }
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (Fast) logistic::fast::sigmoid(in, out, n, a<T>());
    else logistic::sigmoid(in, out, n, a<T>());
  }
  template <class T>
  T scalar(T x) const {
    return Fast ? logistic::fast::sigmoid(x, a<T>()) : logistic::sigmoid(x, a<T>());
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return Fast ? logistic::fast::sigmoid(x, a<T>()) : logistic::sigmoid(x, a<T>());
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    const logistic::affine<T> t = a<T>();
    // The contract: z = scale * x + bias rounded once where the target has a fused
    // multiply-add, twice where it has none; then exactly sigmoid(z).
#if defined(__FMA__) || defined(__AVX512F__) || defined(__aarch64__)
    const T z = std::fma(t.scale, x, t.bias);
#else
    volatile T product = t.scale * x;  // no contraction: two roundings
    const T z = product + t.bias;
#endif
    const T expect = Fast ? logistic::fast::sigmoid(z) : logistic::sigmoid(z);
    FUZZ_CHECK(same_result(y, expect), "sigmoid(x, affine) != sigmoid(scale * x + bias)", i, x, y);
    if (is_finite(x) && is_finite(t.scale) && is_finite(t.bias)) {
      FUZZ_CHECK(!is_nan(y), "finite x, scale and bias gave NaN", i, x, y);
    }
    if (is_nan(x)) FUZZ_CHECK(is_nan(y), "NaN x gave a non-NaN result", i, x, y);
    if (!is_nan(y)) FUZZ_CHECK(y >= T(0) && y <= T(1), "outside [0, 1]", i, x, y);
  }
};

struct logit_fn : no_parameters {
  static constexpr const char* name = "logit";
  static constexpr bool unit_domain = true;
  FUZZ_UNARY_FORMS(logistic, logit)
  template <class T>
  void check(T p, T y, std::size_t i) const {
    const bool in_domain = p >= T(0) && p <= T(1);  // false for NaN
    if (!in_domain) {
      FUZZ_CHECK(is_nan(y), "p outside [0, 1] (or NaN) gave a non-NaN result", i, p, y);
      return;
    }
    FUZZ_CHECK(!is_nan(y), "p in [0, 1] gave NaN", i, p, y);
    if (p == T(0)) FUZZ_CHECK(is_inf(y) && y < 0, "logit(0) != -inf", i, p, y);
    if (p == T(1)) FUZZ_CHECK(is_inf(y) && y > 0, "logit(1) != +inf", i, p, y);
    if (p > T(0) && p < T(1)) FUZZ_CHECK(is_finite(y), "logit(p in (0, 1)) not finite", i, p, y);
    if (p == T(0.5)) FUZZ_CHECK(same_bits(y, T(0)), "logit(1/2) != +0", i, p, y);
    if (p > T(0.5)) FUZZ_CHECK(y > T(0), "logit(p > 1/2) <= 0", i, p, y);
    if (p < T(0.5)) FUZZ_CHECK(y < T(0), "logit(p < 1/2) >= 0", i, p, y);
    // Odd about 1/2: logit(1 - p) = -logit(p) bit for bit whenever 1 - p is exact (p >= 1/2),
    // except at p = 1/2 itself, where the contract's logit(1/2) = +0 wins over -(+0).
    if (p > T(0.5)) {
      const T q = T(1) - p;
      const T yq = logistic::logit(q);
      FUZZ_CHECK(same_bits(yq, static_cast<T>(-y)), "logit(1 - p) != -logit(p)", i, p, yq);
    }
  }
};

// logit(in, out, n, eps): logit(clamp(p, eps, 1 - eps)), NaN everywhere for an invalid eps.
struct logit_eps_fn {
  static constexpr const char* name = "logit(eps)";
  static constexpr bool unit_domain = true;
  double eps_d = 0;
  template <class T>
  void set_parameters(const std::uint8_t* p) {
    switch (p[0] & 7u) {
      case 0: eps_d = 0; break;
      case 1: eps_d = 1e-6; break;
      case 2: eps_d = 0.5; break;
      case 3: eps_d = -1e-3; break;                                      // invalid
      case 4: eps_d = static_cast<double>(std::numeric_limits<T>::quiet_NaN()); break;  // invalid
      case 5: eps_d = 0.75; break;                                      // invalid
      default: eps_d = static_cast<double>(p[1]) / 512.0; break;        // [0, 0.498]
    }
  }
  template <class T>
  void describe(char* text, std::size_t size) const {
    std::snprintf(text, size, "eps %.17g", static_cast<double>(eps<T>()));
  }
  template <class T>
  T eps() const {
    return static_cast<T>(eps_d);
  }
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    logistic::logit(in, out, n, eps<T>());
  }
  template <class T>
  T scalar(T x) const {
    return logistic::logit(x, eps<T>());
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return logistic::logit(x, eps<T>());
  }
  template <class T>
  void check(T p, T y, std::size_t i) const {
    const T e = eps<T>();
    const bool valid = e >= T(0) && e <= T(0.5);
    if (!valid || is_nan(p)) {
      FUZZ_CHECK(is_nan(y), "invalid eps or NaN p gave a non-NaN result", i, p, y);
      return;
    }
    const T hi = T(1) - e;
    const T c = p < e ? e : (p > hi ? hi : p);
    const T expect = logistic::logit(c);
    FUZZ_CHECK(same_result(y, expect), "logit(p, eps) != logit(clamp(p, eps, 1 - eps))", i, p, y);
  }
};

template <bool Fast>
struct sigmoid_grad_fn : no_parameters {
  static constexpr const char* name = Fast ? "fast::sigmoid_grad" : "sigmoid_grad";
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (Fast) logistic::fast::sigmoid_grad(in, out, n);
    else logistic::sigmoid_grad(in, out, n);
  }
  template <class T>
  T scalar(T x) const {
    return Fast ? logistic::fast::sigmoid_grad(x) : logistic::sigmoid_grad(x);
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return Fast ? logistic::fast::sigmoid_grad(x) : logistic::sigmoid_grad(x);
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    check_nan_rule(x, y, i);
    if (is_nan(x)) return;
    FUZZ_CHECK(y >= T(0) && y <= T(0.25), "sigmoid_grad outside [0, 0.25]", i, x, y);
    FUZZ_CHECK(!sign_bit(y), "sigmoid_grad is -0", i, x, y);
    if (x == T(0)) FUZZ_CHECK(y == T(0.25), "sigmoid_grad(+-0) != 0.25", i, x, y);
    if (is_inf(x)) FUZZ_CHECK(same_bits(y, T(0)), "sigmoid_grad(+-inf) != +0", i, x, y);
    const T mirrored = scalar<T>(-x);
    FUZZ_CHECK(same_bits(mirrored, y), "sigmoid_grad(-x) != sigmoid_grad(x) (bits)", i, x,
               mirrored);
  }
};

// log_sigmoid and softplus: log_sigmoid(x) is exactly -softplus(-x).
template <bool Fast, bool LogSigmoid>
struct softplus_fn : no_parameters {
  static constexpr const char* name =
      LogSigmoid ? (Fast ? "fast::log_sigmoid" : "log_sigmoid") : (Fast ? "fast::softplus" : "softplus");
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (LogSigmoid) {
      if (Fast) logistic::fast::log_sigmoid(in, out, n);
      else logistic::log_sigmoid(in, out, n);
    } else {
      if (Fast) logistic::fast::softplus(in, out, n);
      else logistic::softplus(in, out, n);
    }
  }
  template <class T>
  static T softplus_scalar(T x) {
    return Fast ? logistic::fast::softplus(x) : logistic::softplus(x);
  }
  template <class T>
  T scalar(T x) const {
    if (LogSigmoid) return Fast ? logistic::fast::log_sigmoid(x) : logistic::log_sigmoid(x);
    return softplus_scalar(x);
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    if (LogSigmoid) return Fast ? logistic::fast::log_sigmoid(x) : logistic::log_sigmoid(x);
    return Fast ? logistic::fast::softplus(x) : logistic::softplus(x);
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    check_nan_rule(x, y, i);
    if (is_nan(x)) return;
    if (LogSigmoid) {
      FUZZ_CHECK(y <= T(0) && (y != T(0) || sign_bit(y)), "log_sigmoid is not <= -0", i, x, y);
      if (is_finite(x)) FUZZ_CHECK(is_finite(y), "log_sigmoid(finite) not finite", i, x, y);
      if (is_inf(x) && x < 0) FUZZ_CHECK(is_inf(y) && y < 0, "log_sigmoid(-inf) != -inf", i, x, y);
      if (is_inf(x) && x > 0) FUZZ_CHECK(same_bits(y, -T(0)), "log_sigmoid(+inf) != -0", i, x, y);
      const T mirror = softplus_scalar<T>(-x);
      FUZZ_CHECK(same_bits(y, static_cast<T>(-mirror)), "log_sigmoid(x) != -softplus(-x)", i, x,
                 mirror);
    } else {
      FUZZ_CHECK(y >= T(0) && !sign_bit(y), "softplus is not >= +0", i, x, y);
      FUZZ_CHECK(y >= x, "softplus(x) < x", i, x, y);
      if (is_finite(x)) FUZZ_CHECK(is_finite(y), "softplus(finite) not finite", i, x, y);
      if (is_inf(x) && x > 0) FUZZ_CHECK(is_inf(y), "softplus(+inf) != +inf", i, x, y);
      if (is_inf(x) && x < 0) FUZZ_CHECK(same_bits(y, T(0)), "softplus(-inf) != +0", i, x, y);
    }
  }
};

template <bool Fast>
struct silu_fn : no_parameters {
  static constexpr const char* name = Fast ? "fast::silu" : "silu";
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (Fast) logistic::fast::silu(in, out, n);
    else logistic::silu(in, out, n);
  }
  template <class T>
  T scalar(T x) const {
    return Fast ? logistic::fast::silu(x) : logistic::silu(x);
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return Fast ? logistic::fast::silu(x) : logistic::silu(x);
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    check_nan_rule(x, y, i);
    if (is_nan(x)) return;
    // x sigma(x) with sigma(x) in (0, 1): the sign of x (zeros included: silu(-0) = -0,
    // silu(-inf) = -0) and no larger in magnitude. Under FTZ (not set here) fast::silu may
    // flush; the fuzzer runs in the default floating-point mode.
    FUZZ_CHECK(sign_bit(y) == sign_bit(x), "silu(x) has not the sign of x", i, x, y);
    FUZZ_CHECK(std::fabs(y) <= std::fabs(x), "|silu(x)| > |x|", i, x, y);
    if (is_inf(x) && x > 0) FUZZ_CHECK(is_inf(y), "silu(+inf) != +inf", i, x, y);
    if (is_inf(x) && x < 0) FUZZ_CHECK(same_bits(y, -T(0)), "silu(-inf) != -0", i, x, y);
    if (x > T(45)) FUZZ_CHECK(same_bits(x, y), "silu(x) != x for large x", i, x, y);
  }
};

template <bool Fast>
struct silu_grad_fn : no_parameters {
  static constexpr const char* name = Fast ? "fast::silu_grad" : "silu_grad";
  template <class T>
  void array(const T* in, T* out, std::size_t n) const {
    if (Fast) logistic::fast::silu_grad(in, out, n);
    else logistic::silu_grad(in, out, n);
  }
  template <class T>
  T scalar(T x) const {
    return Fast ? logistic::fast::silu_grad(x) : logistic::silu_grad(x);
  }
  template <class T>
  xsimd::batch<T> batch(xsimd::batch<T> x) const {
    return Fast ? logistic::fast::silu_grad(x) : logistic::silu_grad(x);
  }
  template <class T>
  void check(T x, T y, std::size_t i) const {
    check_nan_rule(x, y, i);
    if (is_nan(x)) return;
    // Extrema of sigma(x) (1 + x sigma(-x)): -0.0998 at x = -2.3994, 1.0998 at x = 2.3994.
    FUZZ_CHECK(y >= T(-0.0999) && y <= T(1.0999), "silu_grad outside [-0.0999, 1.0999]", i, x, y);
    if (x == T(0)) FUZZ_CHECK(y == T(0.5), "silu_grad(+-0) != 0.5", i, x, y);
    if (is_inf(x) && x > 0) FUZZ_CHECK(y == T(1), "silu_grad(+inf) != 1", i, x, y);
    if (is_inf(x) && x < 0) FUZZ_CHECK(same_bits(y, -T(0)), "silu_grad(-inf) != -0", i, x, y);
    if (x > T(45)) FUZZ_CHECK(y == T(1), "silu_grad(large x) != 1", i, x, y);
    if (x > T(0)) FUZZ_CHECK(y >= T(0.5), "silu_grad(x > 0) < 0.5", i, x, y);
  }
};

#undef FUZZ_UNARY_FORMS

// ---------------------------------------------------------------------------------------
// sigmoid_backward(y, dy, dx, n): two inputs; dx may equal y or dy.
template <class T>
void run_sigmoid_backward(reader& r) {
  layout l = read_layout<T>(r, 2);
  set_context("sigmoid_backward", type_name<T>(), l);
  // Half the cases take y from [0, 1] (a forward output), the other half as the mode says.
  const std::uint8_t how = r.byte();
  buffer<T> yv(0, l.n), dyv(0, l.n);
  for (std::size_t i = 0; i < l.n; ++i) {
    yv[i] = make_value<T>(r, (how & 1u) ? unsigned(domain) : l.mode, true);
    dyv[i] = make_value<T>(r, l.mode, false);
  }
  buffer<T> y(l.in_offset, l.n), dy(l.out_offset, l.n), separate(l.in_offset, l.n);
  for (std::size_t i = 0; i < l.n; ++i) {
    y[i] = yv[i];
    dy[i] = dyv[i];
  }
  if (l.n == 0 && l.null_when_empty) {
    logistic::sigmoid_backward(static_cast<const T*>(nullptr), static_cast<const T*>(nullptr),
                               static_cast<T*>(nullptr), 0);
    return;
  }
  // in place: into y or into dy.
  T* dx = !l.in_place ? separate.data() : ((how & 2u) ? y.data() : dy.data());
  logistic::sigmoid_backward(y.data(), dy.data(), dx, l.n);

  for (std::size_t i = 0; i < l.n; ++i) {
    const T a = yv[i], b = dyv[i], d = dx[i];
    const T s = logistic::sigmoid_backward(a, b);
    if (!same_result(d, s)) fail_t("array and scalar forms differ (bits)", i, a, d, s);
    if (is_nan(a) || is_nan(b)) {
      FUZZ_CHECK(is_nan(d), "NaN input gave a non-NaN result", i, a, d);
      continue;
    }
    // IEEE: NaN only from 0 * inf: dy = +-inf with y in {0, 1}, or dy = 0 with y = +-inf.
    const bool nan_expected = (is_inf(b) && (a == T(0) || a == T(1))) || (b == T(0) && is_inf(a));
    if (nan_expected) {
      FUZZ_CHECK(is_nan(d), "0 * inf did not give NaN", i, a, d);
    } else {
      FUZZ_CHECK(!is_nan(d), "non-NaN inputs gave NaN", i, a, d);
    }
    if (!is_nan(d) && a >= T(0) && a <= T(1) && is_finite(b)) {
      FUZZ_CHECK(std::fabs(d) <= std::fabs(b) * T(0.25), "|dy y (1 - y)| > |dy| / 4", i, a, d);
      FUZZ_CHECK(d == T(0) || sign_bit(d) == sign_bit(b), "dx has not the sign of dy", i, a, d);
    }
  }
  using B = xsimd::batch<T>;
  constexpr std::size_t W = B::size;
  for (std::size_t i = 0; i < l.n; i += W) {
    alignas(B::arch_type::alignment()) T la[W] = {};
    alignas(B::arch_type::alignment()) T lb[W] = {};
    for (std::size_t k = 0; k < W && i + k < l.n; ++k) {
      la[k] = yv[i + k];
      lb[k] = dyv[i + k];
    }
    logistic::sigmoid_backward(B::load_aligned(la), B::load_aligned(lb)).store_aligned(la);
    for (std::size_t k = 0; k < W && i + k < l.n; ++k) {
      FUZZ_CHECK(same_result(la[k], dx[i + k]), "array and batch forms differ (bits)", i + k,
                 yv[i + k], la[k]);
    }
  }
}

// ---------------------------------------------------------------------------------------
// BCE with logits.
enum class bce_entry { loss, reduced, grad, fused };

template <class T>
T pick_pos_weight(std::uint8_t k, T raw) {
  switch (k % 10) {
    case 0: case 1: case 2: return T(1);
    case 3: return T(0);
    case 4: return T(0.5);
    case 5: return T(3);
    case 6: return T(100);
    case 7: return std::numeric_limits<T>::quiet_NaN();    // bad
    case 8: return -T(1);                                   // bad
    default: return raw;                                    // anything, inf included
  }
}

template <class T>
T pick_smoothing(std::uint8_t k, T raw) {
  switch (k % 9) {
    case 0: case 1: case 2: return T(0);
    case 3: return T(0.1);
    case 4: return T(1);
    case 5: return T(0.5);
    case 6: return std::numeric_limits<T>::quiet_NaN();    // bad
    case 7: return T(1.5);                                  // bad
    default: return raw;
  }
}

// A BCE case whose inputs the contract calls valid: the loss is >= 0 and not NaN, the
// gradient finite (when w (1 + pw) cannot overflow).
template <class T>
bool bce_valid_element(T x, T y, const T* w, std::size_t i) {
  if (is_nan(x) || !(y >= T(0) && y <= T(1))) return false;
  if (w && !(w[i] >= T(0) && is_finite(w[i]))) return false;
  return true;
}

template <class T>
void run_bce(reader& r, bce_entry entry) {
  static const char* const names[] = {"bce_with_logits(loss)", "bce_with_logits(reduced)",
                                      "bce_with_logits_grad", "bce_with_logits_fused"};
  const std::size_t entry_index = static_cast<std::size_t>(entry);
  layout l = read_layout<T>(r, 3);
  set_context(names[entry_index], type_name<T>(), l);
  const std::uint8_t opt = r.byte();
  const std::uint8_t label_kind = r.byte();
  const T raw_pw = make_value<T>(r, raw, false);
  const T raw_ls = make_value<T>(r, raw, false);
  const bool weighted = opt & 1u;
  const auto red = static_cast<logistic::reduction>((opt >> 1) % 3);  // none, sum, mean

  buffer<T> xv(0, l.n), yv(0, l.n), wv(0, l.n);
  for (std::size_t i = 0; i < l.n; ++i) {
    xv[i] = make_value<T>(r, l.mode, false);
    switch (label_kind & 3u) {
      case 0: yv[i] = (r.byte() & 1u) ? T(1) : T(0); break;                       // hard
      case 1: yv[i] = make_value<T>(r, domain, true); break;                    // soft
      case 2: yv[i] = make_value<T>(r, l.mode, false); break;                   // anything
      default: yv[i] = (r.byte() & 1u) ? T(1) : T(0); break;
    }
    wv[i] = ((label_kind >> 2) & 1u) ? make_value<T>(r, l.mode, false)           // anything
                                     : static_cast<T>(r.byte()) / T(64);        // [0, 4]
  }
  logistic::bce_options<T> o;
  o.pos_weight = pick_pos_weight<T>(static_cast<std::uint8_t>(opt >> 3), raw_pw);
  o.label_smoothing = pick_smoothing<T>(label_kind >> 3, raw_ls);
  const bool options_ok = o.pos_weight >= T(0) && is_finite(o.pos_weight) &&
                          o.label_smoothing >= T(0) && o.label_smoothing <= T(1);
  std::snprintf(g_ctx.parameters, sizeof g_ctx.parameters,
                "pos_weight %.17g, label_smoothing %.17g, %s, reduction %d, labels %u",
                static_cast<double>(o.pos_weight), static_cast<double>(o.label_smoothing),
                weighted ? "weighted" : "unweighted", static_cast<int>(red), label_kind & 3u);

  buffer<T> x(l.in_offset, l.n), y(l.out_offset, l.n), w(l.in_offset, l.n);
  buffer<T> separate(l.out_offset, l.n);
  for (std::size_t i = 0; i < l.n; ++i) {
    x[i] = xv[i];
    y[i] = yv[i];
    w[i] = wv[i];
  }
  o.weight = weighted ? w.data() : nullptr;
  const bool empty_null = l.n == 0 && l.null_when_empty;
  const T* px = empty_null ? nullptr : x.data();
  const T* py = empty_null ? nullptr : y.data();
  // In place: the output over x or over y.
  T* out = empty_null ? nullptr : (!l.in_place ? separate.data() : ((opt & 0x80u) ? x.data() : y.data()));
  const T* wd = weighted ? wv.data() : nullptr;

  // Per element, the options of a one-element call (weight: that element's).
  auto element_options = [&](std::size_t i) {
    logistic::bce_options<T> e = o;
    e.weight = weighted ? &wv[i] : nullptr;
    return e;
  };
  // w (1 + pw) small enough that a finite gradient cannot overflow.
  auto no_overflow = [&](std::size_t i) {
    const long double wi = weighted ? static_cast<long double>(wv[i]) : 1.0L;
    return wi * (1.0L + static_cast<long double>(o.pos_weight)) <
           static_cast<long double>(std::numeric_limits<T>::max()) / 4;
  };
  switch (entry) {
    case bce_entry::loss: {
      const logistic::bce_status st = logistic::bce_with_logits(px, py, out, l.n, o);
      if (!options_ok) {
        FUZZ_CHECK(st != logistic::bce_status::ok, "bad options reported ok", 0, o.pos_weight,
                   o.label_smoothing);
        for (std::size_t i = 0; i < l.n; ++i) {
          FUZZ_CHECK(is_nan(out[i]), "bad options: loss not NaN-filled", i, xv[i], out[i]);
        }
        return;
      }
      FUZZ_CHECK(st == logistic::bce_status::ok, "valid call not ok", 0, o.pos_weight,
                 o.label_smoothing);
      for (std::size_t i = 0; i < l.n; ++i) {
        const T s = logistic::bce_with_logits(xv[i], yv[i], element_options(i));
        FUZZ_CHECK(same_result(out[i], s), "array and scalar loss differ (bits)", i, xv[i], out[i]);
        if (bce_valid_element(xv[i], yv[i], wd, i)) {
          if (is_nan(out[i])) fail_t("valid inputs gave a NaN loss (x, y, w)", i, xv[i], yv[i], wv[i]);
          FUZZ_CHECK(out[i] >= T(0), "negative loss", i, xv[i], out[i]);
        }
      }
      return;
    }
    case bce_entry::grad: {
      const logistic::bce_status st = logistic::bce_with_logits_grad(px, py, out, l.n, o, red);
      if (!options_ok) {
        FUZZ_CHECK(st != logistic::bce_status::ok, "bad options reported ok", 0, o.pos_weight,
                   o.label_smoothing);
        for (std::size_t i = 0; i < l.n; ++i) {
          FUZZ_CHECK(is_nan(out[i]), "bad options: grad not NaN-filled", i, xv[i], out[i]);
        }
        return;
      }
      FUZZ_CHECK(st == logistic::bce_status::ok, "valid call not ok", 0, o.pos_weight,
                 o.label_smoothing);
      for (std::size_t i = 0; i < l.n; ++i) {
        if (red != logistic::reduction::mean) {
          // none and sum: the per-element derivative itself, = the scalar form.
          const T s = logistic::bce_with_logits_grad(xv[i], yv[i], element_options(i));
          FUZZ_CHECK(same_result(out[i], s), "array and scalar gradient differ (bits)", i, xv[i],
                     out[i]);
        }
        if (bce_valid_element(xv[i], yv[i], wd, i) && no_overflow(i)) {
          FUZZ_CHECK(is_finite(out[i]), "valid inputs gave a non-finite gradient", i, xv[i], out[i]);
        }
        if (is_nan(xv[i])) FUZZ_CHECK(is_nan(out[i]), "NaN x gave a non-NaN gradient", i, xv[i], out[i]);
      }
      return;
    }
    case bce_entry::reduced:
    case bce_entry::fused: {
      const bool fused_entry = entry == bce_entry::fused;
      const T reduced = fused_entry ? logistic::bce_with_logits_fused(px, py, out, l.n, o, red)
                                    : logistic::bce_with_logits(px, py, l.n, o, red);
      if (red == logistic::reduction::none || !options_ok) {
        FUZZ_CHECK(is_nan(reduced), "bad options or reduction::none: reduced loss not NaN", 0,
                   o.pos_weight, reduced);
        if (fused_entry) {
          for (std::size_t i = 0; i < l.n; ++i) {
            FUZZ_CHECK(is_nan(out[i]), "bad call: fused grad not NaN-filled", i, xv[i], out[i]);
          }
        }
        return;
      }
      if (fused_entry) {
        // An element's gradient does not depend on its neighbours: the same element alone
        // (reduction::sum keeps the scale 1 in both calls).
        if (red == logistic::reduction::sum) {
          for (std::size_t i = 0; i < l.n; ++i) {
            T g1 = T(0);
            const logistic::bce_options<T> e = element_options(i);
            static_cast<void>(logistic::bce_with_logits_fused(&xv[i], &yv[i], &g1, 1, e, red));
            FUZZ_CHECK(same_result(g1, out[i]), "fused gradient depends on the neighbours", i,
                       xv[i], out[i]);
          }
        }
        for (std::size_t i = 0; i < l.n; ++i) {
          if (bce_valid_element(xv[i], yv[i], wd, i) && no_overflow(i)) {
            FUZZ_CHECK(is_finite(out[i]), "valid inputs gave a non-finite fused gradient", i,
                       xv[i], out[i]);
          }
        }
      }
      if (l.n == 0) {
        if (red == logistic::reduction::sum) FUZZ_CHECK(reduced == T(0), "empty sum != 0", 0, reduced, reduced);
        else FUZZ_CHECK(is_nan(reduced), "empty mean is not NaN", 0, reduced, reduced);
        return;
      }
      // Against the elementwise losses summed in long double. (The fused form's loss is not
      // bit-identical to bce_with_logits's reduced loss on every architecture -- on SSE2 its
      // float terms come from the gradient pass -- so both are held to the same bound.)
      buffer<T> losses(0, l.n);
      logistic::bce_options<T> all = o;
      all.weight = wd;
      static_cast<void>(logistic::bce_with_logits(xv.data(), yv.data(), losses.data(), l.n, all));
      long double sum = 0, abs_sum = 0;
      bool all_valid = true;
      for (std::size_t i = 0; i < l.n; ++i) {
        if (!bce_valid_element(xv[i], yv[i], wd, i) || !is_finite(losses[i])) all_valid = false;
        sum += static_cast<long double>(losses[i]);
        abs_sum += std::fabs(static_cast<long double>(losses[i]));
      }
      if (!all_valid) return;
      const long double limit = static_cast<long double>(std::numeric_limits<T>::max()) / 2;
      if (abs_sum > limit) return;
      FUZZ_CHECK(!is_nan(reduced) && reduced >= T(0), "valid inputs: reduced loss NaN or < 0", 0,
                 reduced, static_cast<T>(sum));
      const long double n = static_cast<long double>(l.n);
      const long double expect = red == logistic::reduction::mean ? sum / n : sum;
      const long double scale = red == logistic::reduction::mean ? abs_sum / n : abs_sum;
      // Terms within 2 ULP each for double, 6 for float's cheaper terms (bce.hpp; the fast
      // tier's exp may flush a subnormal term), summed in double or with compensation,
      // rounded once to T.
      const long double eps = static_cast<long double>(std::numeric_limits<T>::epsilon());
      const long double tiny = static_cast<long double>(std::numeric_limits<T>::min());
      const long double term_ulps = sizeof(T) == 4 ? 6 : 2;
      const long double tol = (term_ulps + 2) * eps * scale + eps * std::fabs(expect) + 8 * n * tiny;
      const long double diff = std::fabs(static_cast<long double>(reduced) - expect);
      if (!(diff <= tol)) {
        for (std::size_t i = 0; i < l.n && i < 8; ++i) {
          std::fprintf(stderr, "  x[%zu] = %.9g, y = %.9g, w = %.9g, loss = %.9g\n", i,
                       static_cast<double>(xv[i]), static_cast<double>(yv[i]),
                       static_cast<double>(wd ? wd[i] : T(1)), static_cast<double>(losses[i]));
        }
        fail("reduced loss differs from the sum of the elementwise losses", 0,
             static_cast<double>(reduced), static_cast<double>(expect), static_cast<double>(tol));
      }
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
template <class T>
void run_selected(reader& r, unsigned selector) {
  switch (selector) {
    case 0: run_unary<sigmoid_fn<false>, T>(r, {}); break;
    case 1: run_unary<sigmoid_fn<true>, T>(r, {}); break;
    case 2: run_unary<affine_fn<false>, T>(r, {}); break;
    case 3: run_unary<affine_fn<true>, T>(r, {}); break;
    case 4: run_unary<logit_fn, T>(r, {}); break;
    case 5: run_unary<logit_eps_fn, T>(r, {}); break;
    case 6: run_unary<sigmoid_grad_fn<false>, T>(r, {}); break;
    case 7: run_unary<sigmoid_grad_fn<true>, T>(r, {}); break;
    case 8: run_sigmoid_backward<T>(r); break;
    case 9: run_unary<softplus_fn<false, true>, T>(r, {}); break;
    case 10: run_unary<softplus_fn<true, true>, T>(r, {}); break;
    case 11: run_unary<softplus_fn<false, false>, T>(r, {}); break;
    case 12: run_unary<softplus_fn<true, false>, T>(r, {}); break;
    case 13: run_unary<silu_fn<false>, T>(r, {}); break;
    case 14: run_unary<silu_fn<true>, T>(r, {}); break;
    case 15: run_unary<silu_grad_fn<false>, T>(r, {}); break;
    case 16: run_unary<silu_grad_fn<true>, T>(r, {}); break;
    case 17: run_bce<T>(r, bce_entry::loss); break;
    case 18: run_bce<T>(r, bce_entry::reduced); break;
    case 19: run_bce<T>(r, bce_entry::grad); break;
    default: run_bce<T>(r, bce_entry::fused); break;
  }
}

constexpr unsigned kEntryPoints = 21;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader r(data, size);
  const std::uint8_t select = r.byte();
  const unsigned selector = (select >> 1) % kEntryPoints;
  if (select & 1u) run_selected<double>(r, selector);
  else run_selected<float>(r, selector);
  return 0;
}
