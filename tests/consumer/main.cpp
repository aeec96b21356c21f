// A user's program: logits to probabilities through the installed (or embedded) logistic.
#include <cstddef>
#include <cstdio>
#include <cstring>

#include <logistic/logistic.hpp>
#include <logistic/version.hpp>

// The consumer sets no C++ standard: logistic::logistic must bring C++17 with it.
#if defined(_MSVC_LANG)
static_assert(_MSVC_LANG >= 201703L, "logistic::logistic must require C++17");
#else
static_assert(__cplusplus >= 201703L, "logistic::logistic must require C++17");
#endif

// The version CMake found is the version of the headers we compile against.
static_assert(LOGISTIC_VERSION_MAJOR == CONSUMER_EXPECT_MAJOR, "package/header major version");
static_assert(LOGISTIC_VERSION_MINOR == CONSUMER_EXPECT_MINOR, "package/header minor version");
static_assert(LOGISTIC_VERSION_PATCH == CONSUMER_EXPECT_PATCH, "package/header patch version");

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) ++failures;
}

template <class T>
void check_type(const char* type) {
  std::printf("-- %s\n", type);
  const T logits[] = {T(-100), T(-1), T(0), T(1), T(100)};
  constexpr std::size_t n = sizeof logits / sizeof logits[0];
  T probabilities[n] = {};
  logistic::sigmoid(logits, probabilities, n);

  expect(probabilities[2] == T(0.5), "sigmoid(0) == 0.5");
  expect(probabilities[0] > T(0) && probabilities[0] < T(1e-30), "0 < sigmoid(-100) < 1e-30");
  expect(probabilities[1] < probabilities[2] && probabilities[2] < probabilities[3],
         "monotonic around 0");
  expect(probabilities[4] == T(1), "sigmoid(100) == 1");

  bool same = true;
  for (std::size_t i = 0; i < n; ++i) {
    const T scalar = logistic::sigmoid(logits[i]);
    same = same && std::memcmp(&scalar, &probabilities[i], sizeof scalar) == 0;
  }
  expect(same, "scalar and array forms agree bit for bit");

  const xsimd::batch<T> half = logistic::sigmoid(xsimd::batch<T>(T(0)));
  T lanes[xsimd::batch<T>::size] = {};
  half.store_unaligned(lanes);
  bool all_half = true;
  for (const T lane : lanes) all_half = all_half && lane == T(0.5);
  expect(all_half, "batch form: every lane of sigmoid(0) is 0.5");

  T fast[n] = {};
  logistic::fast::sigmoid(logits, fast, n);
  // The fast tier allows a few ULP: check the shape, not the bits.
  expect(fast[2] > T(0.499) && fast[2] < T(0.501) && fast[4] > T(0.999) && fast[0] < T(1e-30),
         "fast::sigmoid: about 0.5 at 0, 1 at 100, 0 at -100");
}

}  // namespace

int main() {
  std::printf("logistic %d.%d.%d, xsimd arch %s\n", LOGISTIC_VERSION_MAJOR, LOGISTIC_VERSION_MINOR,
              LOGISTIC_VERSION_PATCH, xsimd::default_arch::name());
  check_type<float>("float");
  check_type<double>("double");
  std::printf("%s\n", failures == 0 ? "consumer OK" : "consumer FAILED");
  return failures == 0 ? 0 : 1;
}
