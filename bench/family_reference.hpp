// Reference values of the family's functions in double, for float (and loosely for
// double) results. Independent of the library: written from the definitions, each
// arranged so that no step cancels (the reason is given per function), which keeps the
// double error a few 2^-53 relative: far below a float ULP (2^-24) wherever the float
// result is well conditioned. Used by the harnesses only (main.cpp's plausibility check,
// accuracy_baselines.cpp's ULP measurements), never by a timed TU.
#ifndef LOGISTIC_BENCH_FAMILY_REFERENCE_HPP
#define LOGISTIC_BENCH_FAMILY_REFERENCE_HPP

#include "bench.hpp"

#include <cmath>
#include <limits>

namespace logistic_bench {
namespace reference {

// e^-|x| in (0, 1]: never overflows; both sides of 0 are built from it.
inline double exp_neg_abs(double x) { return std::exp(-std::fabs(x)); }

inline double sigmoid(double x) {
    if (std::isnan(x)) return x;
    const double e = exp_neg_abs(x);
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// log(p / (1 - p)). Near p = 1/2 the two logarithms of log(p) - log1p(-p) cancel; there
// p / (1 - p) = 1 + (2p - 1) / (1 - p), where 2p - 1 and 1 - p are exact (p is a float
// in [1/4, 3/4]). Elsewhere the two terms have the same sign or one dominates by 4x.
inline double logit(double p) {
    if (std::isnan(p) || p < 0 || p > 1) return std::numeric_limits<double>::quiet_NaN();
    if (p >= 0.25 && p <= 0.75) return std::log1p((2 * p - 1) / (1 - p));
    return std::log(p) - std::log1p(-p);
}

// sigma(scale * x + bias): scale * x is exact in double for float x (scale = 0.75).
inline double sigmoid_affine(double x) { return sigmoid(affine_scale * x + affine_bias); }

// The reference of logistic/affine.hpp's contract for float: sigma at z = scale * x +
// bias rounded once to float (a fused multiply-add), which is what the library promises
// to be faithful to. It differs from sigmoid_affine(x) by the rounding of z, which
// costs up to |z| 2^-24 relative: 64 ULP near the underflow of sigma (z ~ -87).
inline double sigmoid_affine_rounded_z(float x) {
    const float z = std::fmaf(static_cast<float>(affine_scale), x,
                              static_cast<float>(affine_bias));
    return sigmoid(static_cast<double>(z));
}

// sigma(x) sigma(-x) = e^-|x| / (1 + e^-|x|)^2: even, no 1 - sigma(x).
inline double sigmoid_grad(double x) {
    if (std::isnan(x)) return x;
    const double e = exp_neg_abs(x);
    return e / ((1 + e) * (1 + e));
}

// dy * y * (1 - y) for the given float inputs: 1 - y is exact in double for y in
// [2^-29, 1], and a tiny y makes 1 - y = 1 to far below a float ULP anyway.
inline double sigmoid_backward(double y, double dy) { return dy * y * (1 - y); }

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): two non-negative terms.
inline double softplus(double x) {
    if (std::isnan(x)) return x;
    if (std::isinf(x)) return x > 0 ? x : 0.0;
    return std::fmax(x, 0.0) + std::log1p(exp_neg_abs(x));
}

// log sigma(x) = -softplus(-x) = min(x, 0) - log1p(e^-|x|): two non-positive terms.
inline double log_sigmoid(double x) { return -softplus(-x); }

inline double silu(double x) {
    if (std::isinf(x)) return x > 0 ? x : -0.0;
    return x * sigmoid(x);
}

// sigma(x) (1 + x sigma(-x)). For x >= 0 every term is positive. For x < 0 it vanishes
// near x0 = -1.2785, and 1 + x sigma(-x) = (1 + x + e^x) / (1 + e^x), whose 1 + x is
// exact for a float x there: the only rounding before the cancellation is e^x's (1/2
// ULP of 0.28), so the relative error grows only as 2^-55 / |1 + x + e^x|.
inline double silu_grad(double x) {
    if (std::isnan(x)) return x;
    if (std::isinf(x)) return x > 0 ? 1.0 : -0.0;
    if (x >= 0) {
        const double e = std::exp(-x);
        return (1 + x * (e / (1 + e))) / (1 + e);
    }
    const double e = std::exp(x);
    return e / (1 + e) * (((1 + x) + e) / (1 + e));
}

// Relative condition number of silu_grad, |x f'(x) / f(x)|, with f' = silu'' =
// sigma(1 - sigma)(2 + x(1 - 2 sigma)): |x (1 - sigma)(2 + x(1 - 2 sigma))| /
// |1 + x (1 - sigma)|. Infinite at x0; about |x| for x << 0 (where f ~ e^x (1 + x)).
inline double silu_grad_condition(double x) {
    const double s = sigmoid(x), t = sigmoid(-x);  // t = 1 - s without cancellation
    return std::fabs(x * t * (2 + x * (t - s))) / std::fabs(1 + x * t);
}

// The reference of any function (dy is used by sigmoid_backward only).
inline double of(function_id f, double x, double dy) {
    switch (f) {
        case function_id::sigmoid: return sigmoid(x);
        case function_id::logit: return logit(x);
        case function_id::sigmoid_affine: return sigmoid_affine(x);
        case function_id::sigmoid_grad: return sigmoid_grad(x);
        case function_id::sigmoid_backward: return sigmoid_backward(x, dy);
        case function_id::log_sigmoid: return log_sigmoid(x);
        case function_id::softplus: return softplus(x);
        case function_id::silu: return silu(x);
        case function_id::silu_grad: return silu_grad(x);
    }
    return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace reference
}  // namespace logistic_bench

#endif
