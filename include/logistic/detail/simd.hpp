// Internal: the few SIMD operations the kernels need beyond xsimd's common API,
// spelled once for xsimd 8.1 and for xsimd 11+ and reaching the right
// instruction on each architecture.
#ifndef LOGISTIC_DETAIL_SIMD_HPP
#define LOGISTIC_DETAIL_SIMD_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "config.hpp"

#if defined(__SSE2__) || defined(__AVX__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Float lanes in 512-bit registers: where the kernels use AVX-512's own
// instructions (rcp14, scalef, the 16-entry permute tables) instead of the
// common path. Everything else takes the common path.
template <class T, class A>
struct is_avx512_float
    : std::integral_constant<bool,
#if defined(__AVX512F__)
                             std::is_base_of<xsimd::avx512f, A>::value &&
                                 std::is_same<T, float>::value
#else
                             false
#endif
                             > {
};

// The integer type with the width of T, for bit manipulation of its encoding.
template <class T>
struct bits_of;
template <>
struct bits_of<float> {
  using type = std::int32_t;
  static constexpr int mantissa = 23;
};
template <>
struct bits_of<double> {
  using type = std::int64_t;
  static constexpr int mantissa = 52;
};

template <class T, class A>
using int_batch = xsimd::batch<typename bits_of<T>::type, A>;

template <class T, class A>
LOGISTIC_INLINE int_batch<T, A> to_bits(xsimd::batch<T, A> x) noexcept {
#if XSIMD_VERSION_MAJOR >= 11
  return xsimd::bitwise_cast<typename bits_of<T>::type>(x);
#else
  return xsimd::bitwise_cast<int_batch<T, A>>(x);
#endif
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> from_bits(int_batch<T, A> i) noexcept {
#if XSIMD_VERSION_MAJOR >= 11
  return xsimd::bitwise_cast<T>(i);
#else
  return xsimd::bitwise_cast<xsimd::batch<T, A>>(i);
#endif
}

// i << Shift on each lane.
template <int Shift, class T, class A>
LOGISTIC_INLINE int_batch<T, A> shift_left(int_batch<T, A> i) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    // Zero-masked with a full mask, the same instruction: the unmasked
    // intrinsic trips GCC 12's -Wuninitialized (GCC bug 105593).
    if constexpr (sizeof(T) == 4) return _mm512_maskz_slli_epi32(0xFFFF, i, Shift);
    else return _mm512_maskz_slli_epi64(0xFF, i, Shift);
  }
#endif
  return i << Shift;
}

// ---------------------------------------------------------------------------
// Fused multiply-add. xsimd 8.1's fma on AVX-512 batches is x*y + z with two
// roundings, and the compensated steps of the faithful kernels are only exact
// with one, so AVX-512 calls the instruction itself. Other architectures with
// a fused instruction get it through xsimd; the rest report has_fused_fma =
// false and the kernels switch to exact products by splitting (Dekker).
// ---------------------------------------------------------------------------
struct fma_none {};
struct fma_xsimd {};
struct fma_avx512 {};

template <class A>
using fma_kind = typename std::conditional<
#if defined(__AVX512F__)
    std::is_base_of<xsimd::avx512f, A>::value, fma_avx512,
#else
    false, fma_avx512,
#endif
    typename std::conditional<
#if defined(__FMA__)
        std::is_base_of<xsimd::fma3<xsimd::avx2>, A>::value ||
            std::is_base_of<xsimd::fma3<xsimd::avx>, A>::value ||
            std::is_base_of<xsimd::fma3<xsimd::sse4_2>, A>::value ||
#endif
#if defined(__aarch64__)
            std::is_base_of<xsimd::neon64, A>::value ||
#endif
            false,
        fma_xsimd, fma_none>::type>::type;

template <class A>
struct has_fused_fma : std::integral_constant<bool, !std::is_same<fma_kind<A>, fma_none>::value> {
};

template <class T, class A>
using batch = xsimd::batch<T, A>;

// x*y + z, x*y - z and z - x*y for each kind of architecture.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_none) noexcept {
  return x * y + z;
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fms_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_none) noexcept {
  return x * y - z;
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fnma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_none) noexcept {
  return z - x * y;
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_xsimd) noexcept {
  return xsimd::fma(x, y, z);
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fms_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_xsimd) noexcept {
  return xsimd::fms(x, y, z);
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fnma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_xsimd) noexcept {
#if defined(__aarch64__)
  // xsimd 8.1's fnma on NEON is x*y rounded, then subtracted: not fused.
  if constexpr (std::is_base_of<xsimd::neon64, A>::value) {
    if constexpr (std::is_same<T, float>::value) return vfmsq_f32(z, x, y);
    else return vfmsq_f64(z, x, y);
  }
#endif
  return xsimd::fnma(x, y, z);
}
#if defined(__AVX512F__)
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_avx512) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    return _mm512_fmadd_ps(x, y, z);
  } else {
    return _mm512_fmadd_pd(x, y, z);
  }
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fms_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_avx512) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    return _mm512_fmsub_ps(x, y, z);
  } else {
    return _mm512_fmsub_pd(x, y, z);
  }
}
template <class T, class A>
LOGISTIC_INLINE batch<T, A> fnma_impl(batch<T, A> x, batch<T, A> y, batch<T, A> z, fma_avx512) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    return _mm512_fnmadd_ps(x, y, z);
  } else {
    return _mm512_fnmadd_pd(x, y, z);
  }
}
#endif

// x*y + z, rounded once where the architecture has a fused instruction.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_add(batch<T, A> x, batch<T, A> y, batch<T, A> z) noexcept {
  return fma_impl(x, y, z, fma_kind<A>{});
}
// x*y - z, with the same rounding as mul_add.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_sub(batch<T, A> x, batch<T, A> y, batch<T, A> z) noexcept {
  return fms_impl(x, y, z, fma_kind<A>{});
}
// z - x*y, with the same rounding as mul_add.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> neg_mul_add(batch<T, A> x, batch<T, A> y, batch<T, A> z) noexcept {
  return fnma_impl(x, y, z, fma_kind<A>{});
}

// x / y, correctly rounded. xsimd (8.1 to 14.x) divides float batches on
// aarch64 by a reciprocal estimate and two Newton steps, which is not the
// rounded quotient; the kernels' error bounds assume it is, so aarch64 calls
// the divide instruction itself. Everywhere else this is x / y.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> divide(batch<T, A> x, batch<T, A> y) noexcept {
#if defined(__aarch64__)
  if constexpr (std::is_same<T, float>::value && std::is_base_of<xsimd::neon64, A>::value) {
    return vdivq_f32(x, y);
  }
#endif
  return x / y;
}

// The exact product x*y = hi + lo (barring underflow).
template <class T, class A>
struct product {
  batch<T, A> hi;
  batch<T, A> lo;
};

template <class T>
constexpr T dekker_split_factor() noexcept {
  return std::is_same<T, float>::value ? T(4097) : T(134217729);  // 2^12+1, 2^27+1
}

template <class T, class A>
LOGISTIC_INLINE product<T, A> two_prod(batch<T, A> x, batch<T, A> y) noexcept {
  const batch<T, A> hi = x * y;
  if constexpr (has_fused_fma<A>::value) {
    return {hi, mul_sub(x, y, hi)};  // not mul_add(x, y, -hi): -hi would cost a subtraction
  }
  // Veltkamp's split and Dekker's product: exact without a fused instruction
  // as long as the compiler keeps every operation separately rounded (it can
  // only contract into instructions that this architecture does not have).
  const batch<T, A> split(dekker_split_factor<T>());
  const batch<T, A> cx = split * x, cy = split * y;
  const batch<T, A> xh = cx - (cx - x), yh = cy - (cy - y);
  const batch<T, A> xl = x - xh, yl = y - yh;
  return {hi, ((xh * yh - hi) + xh * yl + xl * yh) + xl * yl};
}

// c - x*y exactly rounded once, for a result much smaller than x*y (a
// residual), also where there is no fused instruction.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> residual(batch<T, A> x, batch<T, A> y, batch<T, A> c) noexcept {
  if constexpr (has_fused_fma<A>::value) {
    return neg_mul_add(x, y, c);
  }
  const product<T, A> p = two_prod(x, y);
  return (c - p.hi) - p.lo;
}

// x*y + c with a single final rounding when c is a small correction to x*y.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_add_corrected(batch<T, A> x, batch<T, A> y, batch<T, A> c) noexcept {
  if constexpr (has_fused_fma<A>::value) {
    return mul_add(x, y, c);
  }
  const product<T, A> p = two_prod(x, y);
  return p.hi + (p.lo + c);
}

// a + b where mask is set, a elsewhere: one masked instruction on AVX-512.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> add_where(xsimd::batch_bool<T, A> mask, batch<T, A> a,
                                      batch<T, A> b) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_mask_add_ps(a, mask, a, b);
    else return _mm512_mask_add_pd(a, mask, a, b);
  }
#endif
  return a + xsimd::select(mask, b, batch<T, A>(T(0)));
}

// a*b + c where mask is set, a elsewhere: one masked instruction on AVX-512.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_add_where(xsimd::batch_bool<T, A> mask, batch<T, A> a,
                                          batch<T, A> b, batch<T, A> c) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_mask_fmadd_ps(a, mask, b, c);
    else return _mm512_mask_fmadd_pd(a, mask, b, c);
  }
#endif
  return xsimd::select(mask, mul_add(a, b, c), a);
}

// a*b where mask is set, c elsewhere: one masked instruction on AVX-512.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_where_else(xsimd::batch_bool<T, A> mask, batch<T, A> a,
                                           batch<T, A> b, batch<T, A> c) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_mask_mul_ps(c, mask, a, b);
    else return _mm512_mask_mul_pd(c, mask, a, b);
  }
#endif
  return xsimd::select(mask, a * b, c);
}

// a*b - c where mask is set (rounded once, as mul_sub), 0 elsewhere.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> mul_sub_where_else_zero(xsimd::batch_bool<T, A> mask, batch<T, A> a,
                                                    batch<T, A> b, batch<T, A> c) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_maskz_fmsub_ps(mask, a, b, c);
    else return _mm512_maskz_fmsub_pd(mask, a, b, c);
  }
#endif
  return xsimd::select(mask, mul_sub(a, b, c), batch<T, A>(T(0)));
}

// -(a*b + c) where mask is set (rounded once, as mul_add), a elsewhere.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> negated_mul_add_where(xsimd::batch_bool<T, A> mask, batch<T, A> a,
                                                  batch<T, A> b, batch<T, A> c) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_mask_fnmsub_ps(a, mask, b, c);
    else return _mm512_mask_fnmsub_pd(a, mask, b, c);
  }
#endif
  return xsimd::select(mask, -mul_add(a, b, c), a);
}

// ---------------------------------------------------------------------------
// Lane tests that AVX-512 runs as integer compares on the encoding: a
// floating-point compare into a mask register takes a slot on the pipes that
// also run the multiply-adds, which bound these kernels (measured: 3 % of the
// sigmoid's time for each compare per batch).
// ---------------------------------------------------------------------------
// Lanes with the sign bit set: x < 0, and also -0 and NaNs with the sign bit
// on AVX-512 (callers use it where -0 and +0 give the same result).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sign_set(batch<T, A> x) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    return _mm512_cmplt_epi32_mask(to_bits(x), _mm512_setzero_si512());
  }
#endif
  return x < batch<T, A>(T(0));
}

// |x| > limit for limit > 0, and also NaN on AVX-512 (callers send these
// lanes to a path that handles NaN as well).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> abs_above(batch<T, A> x, T limit) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    return _mm512_cmpgt_epi32_mask(to_bits(xsimd::abs(x)), to_bits(batch<T, A>(limit)));
  }
#endif
  return xsimd::abs(x) > batch<T, A>(limit);
}

// Whether |x| > limit in any lane of four batches (or, on AVX-512, NaN): there
// one unsigned maximum of the encodings and one compare instead of four.
template <class T, class A>
LOGISTIC_INLINE bool any_abs_above(batch<T, A> a, batch<T, A> b, batch<T, A> c, batch<T, A> d,
                                   T limit) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    // Zero-masked with a full mask: see clamp_above.
    const __m512i ab = _mm512_maskz_max_epu32(0xFFFF, to_bits(xsimd::abs(a)), to_bits(xsimd::abs(b)));
    const __m512i cd = _mm512_maskz_max_epu32(0xFFFF, to_bits(xsimd::abs(c)), to_bits(xsimd::abs(d)));
    const __m512i top = _mm512_maskz_max_epu32(0xFFFF, ab, cd);
    return _mm512_cmpgt_epu32_mask(top, to_bits(batch<T, A>(limit))) != 0;
  }
#endif
  return xsimd::any(abs_above(a, limit) | abs_above(b, limit) | abs_above(c, limit) |
                    abs_above(d, limit));
}

// |x| < lo or |x| > hi for 0 < lo < hi, and also NaN on AVX-512: one
// unsigned compare of the encoding's distance from lo's.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> abs_outside(batch<T, A> x, T lo, T hi) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    using I = int_batch<T, A>;
    const I low = to_bits(batch<T, A>(lo));
    const __m512i span = to_bits(batch<T, A>(hi)) - low;
    const __m512i distance = to_bits(xsimd::abs(x)) - low;
    return _mm512_cmpgt_epu32_mask(distance, span);
  }
#endif
  const batch<T, A> z = xsimd::abs(x);
  return (z < batch<T, A>(lo)) | (z > batch<T, A>(hi));
}

#if defined(__AVX512F__)
// AVX-512 float: the unsigned maximum over four batches of the encodings'
// distances from lo's, and the distance of hi's.
template <class T, class A>
LOGISTIC_INLINE __m512i max_distance(batch<T, A> a, batch<T, A> b, batch<T, A> c, batch<T, A> d,
                                     T lo) noexcept {
  const int_batch<T, A> low = to_bits(batch<T, A>(lo));
  // Zero-masked with a full mask: see clamp_above.
  return _mm512_maskz_max_epu32(0xFFFF, _mm512_maskz_max_epu32(0xFFFF, to_bits(a) - low, to_bits(b) - low),
                                _mm512_maskz_max_epu32(0xFFFF, to_bits(c) - low, to_bits(d) - low));
}
template <class T, class A>
LOGISTIC_INLINE __m512i distance_of(T hi, T lo) noexcept {
  return to_bits(batch<T, A>(hi)) - to_bits(batch<T, A>(lo));
}
#endif

// Whether |x| < lo or |x| > hi in any lane of four batches (or, on AVX-512,
// NaN): there the unsigned maximum of the four distances from lo's encoding.
template <class T, class A>
LOGISTIC_INLINE bool any_abs_outside(batch<T, A> a, batch<T, A> b, batch<T, A> c, batch<T, A> d,
                                     T lo, T hi) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    // Operands named first: Clang's compare intrinsics are macros.
    const __m512i top = max_distance(xsimd::abs(a), xsimd::abs(b), xsimd::abs(c), xsimd::abs(d), lo);
    const __m512i span = distance_of<T, A>(hi, lo);
    return _mm512_cmpgt_epu32_mask(top, span) != 0;
  }
#endif
  return xsimd::any(abs_outside(a, lo, hi) | abs_outside(b, lo, hi) | abs_outside(c, lo, hi) |
                    abs_outside(d, lo, hi));
}

// Whether any lane of four batches lies outside [lo, hi) for 0 <= lo < hi
// (negative numbers and NaN included; -0 too, except that with lo = 0 it
// counts as inside where there is no AVX-512): on AVX-512 float the unsigned
// maximum of the four distances from lo's encoding, as above.
template <class T, class A>
LOGISTIC_INLINE bool any_outside(batch<T, A> a, batch<T, A> b, batch<T, A> c, batch<T, A> d,
                                 T lo, T hi) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    const __m512i top = max_distance(a, b, c, d, lo);
    const __m512i span = distance_of<T, A>(hi, lo);  // hi is the first distance outside
    return _mm512_cmpge_epu32_mask(top, span) != 0;
  }
#endif
  const batch<T, A> low(lo), high(hi);
  const auto inside = [&](batch<T, A> x) { return (x >= low) & (x < high); };  // false for NaN
  return !xsimd::all(inside(a) & inside(b) & inside(c) & inside(d));
}

// ---------------------------------------------------------------------------
// min and max with x86's rule for NaN: the second operand is returned when
// either is NaN (xsimd's min and max are documented to differ between
// versions, so they are not used where NaN matters). One instruction each.
// ---------------------------------------------------------------------------
template <class T, class A>
LOGISTIC_INLINE batch<T, A> min_second_on_nan(batch<T, A> a, batch<T, A> b) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    // The zero-masked forms with a full mask are the same instruction; the
    // unmasked intrinsics trip GCC 12's -Wuninitialized (GCC bug 105593).
    if constexpr (std::is_same<T, float>::value) return _mm512_maskz_min_ps(0xFFFF, a, b);
    else return _mm512_maskz_min_pd(0xFF, a, b);
  }
#endif
#if defined(__AVX__)
  if constexpr (std::is_base_of<xsimd::avx, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm256_min_ps(a, b);
    else return _mm256_min_pd(a, b);
  }
#endif
#if defined(__SSE2__)
  if constexpr (std::is_base_of<xsimd::sse2, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm_min_ps(a, b);
    else return _mm_min_pd(a, b);
  }
#endif
  return xsimd::select(a < b, a, b);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> max_second_on_nan(batch<T, A> a, batch<T, A> b) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm512_maskz_max_ps(0xFFFF, a, b);
    else return _mm512_maskz_max_pd(0xFF, a, b);
  }
#endif
#if defined(__AVX__)
  if constexpr (std::is_base_of<xsimd::avx, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm256_max_ps(a, b);
    else return _mm256_max_pd(a, b);
  }
#endif
#if defined(__SSE2__)
  if constexpr (std::is_base_of<xsimd::sse2, A>::value) {
    if constexpr (std::is_same<T, float>::value) return _mm_max_ps(a, b);
    else return _mm_max_pd(a, b);
  }
#endif
  return xsimd::select(a > b, a, b);
}

// min(limit, x), x when x is NaN.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> clamp_above(batch<T, A> x, T limit) noexcept {
  return min_second_on_nan(batch<T, A>(limit), x);
}

// max(limit, x), x when x is NaN.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> clamp_below(batch<T, A> x, T limit) noexcept {
  return max_second_on_nan(batch<T, A>(limit), x);
}

// min(x, limit), limit when x is NaN: a NaN-free argument for a core whose
// result the caller replaces by NaN anyway.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> clamp_above_or_limit(batch<T, A> x, T limit) noexcept {
  return min_second_on_nan(x, batch<T, A>(limit));
}

// ---------------------------------------------------------------------------
// Table lookup: out[i] = table[index[i] mod N]. A table that fits one register
// is read by a lane permutation; otherwise through memory.
// ---------------------------------------------------------------------------
// Entries per table: what one register holds, so that a lookup is a single
// permutation where the architecture has one.
template <class T, class A>
struct table_size : std::integral_constant<std::size_t, is_avx512_float<T, A>::value ? 16 : 8> {};

struct lookup_memory {};
struct lookup_avx512 {};
struct lookup_avx2 {};

template <class T, class A>
using lookup_kind = typename std::conditional<
#if defined(__AVX512F__)
    std::is_base_of<xsimd::avx512f, A>::value, lookup_avx512,
#else
    false, lookup_avx512,
#endif
    typename std::conditional<
#if defined(__AVX2__)
        std::is_same<T, float>::value && std::is_base_of<xsimd::avx2, A>::value,
#else
        false,
#endif
        lookup_avx2, lookup_memory>::type>::type;

template <class V, class T, class A>
LOGISTIC_INLINE xsimd::batch<V, A> lookup_impl(const V* table, int_batch<T, A> index, lookup_memory) noexcept {
  using I = typename bits_of<T>::type;
  constexpr std::size_t lanes = int_batch<T, A>::size;
  alignas(64) I idx[lanes];
  alignas(64) V out[lanes];
  index.store_aligned(idx);
  for (std::size_t i = 0; i < lanes; ++i) {
    out[i] = table[static_cast<std::size_t>(idx[i]) & (table_size<T, A>::value - 1)];
  }
  return xsimd::batch<V, A>::load_aligned(out);
}
#if defined(__AVX512F__)
template <class V, class T, class A>
LOGISTIC_INLINE xsimd::batch<V, A> lookup_impl(const V* table, int_batch<T, A> index, lookup_avx512) noexcept {
  const __m512i idx = index;
  // Zero-masked forms with a full mask: see clamp_above.
  if constexpr (std::is_same<V, float>::value) {
    return _mm512_maskz_permutexvar_ps(0xFFFF, idx, _mm512_loadu_ps(table));
  } else if constexpr (std::is_same<V, double>::value) {
    return _mm512_maskz_permutexvar_pd(0xFF, idx, _mm512_loadu_pd(table));
  } else if constexpr (sizeof(V) == 4) {
    return _mm512_maskz_permutexvar_epi32(0xFFFF, idx, _mm512_loadu_si512(table));
  } else {
    return _mm512_maskz_permutexvar_epi64(0xFF, idx, _mm512_loadu_si512(table));
  }
}
#endif
#if defined(__AVX2__)
template <class V, class T, class A>
LOGISTIC_INLINE xsimd::batch<V, A> lookup_impl(const V* table, int_batch<T, A> index, lookup_avx2) noexcept {
  const __m256i idx = index;
  if constexpr (std::is_same<V, float>::value) {
    return _mm256_permutevar8x32_ps(_mm256_loadu_ps(table), idx);
  } else {
    const __m256i tab = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table));
    return _mm256_permutevar8x32_epi32(tab, idx);
  }
}
#endif

template <class V, class T, class A>
LOGISTIC_INLINE xsimd::batch<V, A> lookup(const V* table, int_batch<T, A> index) noexcept {
  return lookup_impl<V, T, A>(table, index, lookup_kind<T, A>{});
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
