// Test support: small, seeded, portable random numbers (the same sequence on every
// platform and standard library, unlike std::uniform_real_distribution).
#ifndef LOGISTIC_TESTS_RANDOM_HPP
#define LOGISTIC_TESTS_RANDOM_HPP

#include <cmath>
#include <cstdint>

namespace logistic_test {

// SplitMix64 (Steele, Lea & Flood 2014): the next 64 random bits of `state`.
inline std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

// Uniform on [0, 1), a multiple of 2^-53.
inline double uniform01(std::uint64_t& state) {
  return static_cast<double>(splitmix(state) >> 11) * 0x1p-53;
}

// Standard normal (Box-Muller).
inline double standard_normal(std::uint64_t& state) {
  const double r = std::sqrt(-2 * std::log(1 - uniform01(state)));
  return r * std::cos(6.283185307179586 * uniform01(state));
}

}  // namespace logistic_test

#endif
