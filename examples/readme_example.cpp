// The example on the first screen of README.md, verbatim inside main(), so
// that it stays compilable; it also checks what its comments claim.
#include <logistic/logistic.hpp>
#include <vector>

int main() {
  // --- README begin
std::vector<float> logits = {-3.2f, 0.0f, 2.9f, -95.0f, 1e30f};
std::vector<float> probs(logits.size());
logistic::sigmoid(logits.data(), probs.data(), logits.size());  // faithful: < 1 ULP
logistic::fast::sigmoid(logits.data(), logits.data(), logits.size());  // in place, <= 4 ULP
float p = logistic::sigmoid(0.4f);                // scalar: the same bits as the array form
auto b = logistic::sigmoid(xsimd::batch<float>(0.4f));  // batch, for your own SIMD loops
  // --- README end
  float lanes[xsimd::batch<float>::size];
  b.store_unaligned(lanes);
  const bool ok = probs[1] == 0.5f && probs[3] > 0.0f && probs[4] == 1.0f && lanes[0] == p &&
                  logits[3] == 0.0f;  // the fast tier flushes the subnormal result
  return ok ? 0 : 1;
}
