// Turns a buffer of logits (a model's raw outputs) into probabilities, in
// place, and checks the result against a few properties any user relies on.
#include <logistic/logistic.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  // Logits as a binary classifier might produce them, including saturated
  // and non-finite ones.
  std::vector<float> logits = {-3.2f, -0.7f, 0.0f, 0.4f, 2.9f, 15.0f, -95.0f, 1e30f, -INFINITY};

  std::vector<float> probs(logits.size());
  logistic::sigmoid(logits.data(), probs.data(), logits.size());  // faithful: < 1 ULP

  int failures = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    std::printf("logit %12g -> probability %.9g\n", static_cast<double>(logits[i]),
                static_cast<double>(probs[i]));
    const bool in_range = probs[i] >= 0.0f && probs[i] <= 1.0f;
    const bool matches_scalar = probs[i] == logistic::sigmoid(logits[i]);
    if (!in_range || !matches_scalar) ++failures;
  }
  // -95 gives a subnormal probability (about 5.5e-42), not 0.
  if (!(probs[6] > 0.0f)) ++failures;

  // In place works too; the fast tier trades a few ULP for speed.
  logistic::fast::sigmoid(logits.data(), logits.data(), logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) {
    if (std::fabs(logits[i] - probs[i]) > 1e-6f) ++failures;
  }
  std::printf("%s\n", failures == 0 ? "ok" : "FAILED");
  return failures == 0 ? 0 : 1;
}
