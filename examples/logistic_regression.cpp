// Trains a logistic regression with logistic::bce_with_logits_fused: one pass over the
// logits gives the mean loss and its gradient with respect to every logit, from which the
// gradient of the weights follows by one matrix-vector product.
//
//   example_logistic_regression              data generated here (2 features, 4096 rows)
//   example_logistic_regression data.csv     rows "feature,feature,...,label", label 0 or 1
//
// Prints the mean loss per epoch, then the weights and the training accuracy; exits 1 if
// the loss did not go down or the accuracy on the generated data is poor.
#include <logistic/bce.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct dataset {
  std::size_t rows = 0, features = 0;
  std::vector<float> x;       // rows x features, row-major
  std::vector<float> labels;  // 0 or 1
};

// Two Gaussian clouds around (+-1, +-0.5), labels 1 and 0, with some overlap.
dataset generate(std::size_t rows) {
  dataset d;
  d.rows = rows;
  d.features = 2;
  std::uint64_t state = 2024;
  auto uniform = [&state] {  // splitmix64 in (0, 1)
    std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (static_cast<double>((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53;
  };
  auto normal = [&] { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); };
  for (std::size_t i = 0; i < rows; ++i) {
    const bool positive = i % 2 == 0;
    const double sign = positive ? 1.0 : -1.0;
    d.x.push_back(static_cast<float>(sign * 1.0 + 0.8 * normal()));
    d.x.push_back(static_cast<float>(sign * 0.5 + 0.8 * normal()));
    d.labels.push_back(positive ? 1.0f : 0.0f);
  }
  return d;
}

bool read_csv(const char* path, dataset& d) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<float> values;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) values.push_back(std::strtof(field.c_str(), nullptr));
    if (values.size() < 2) return false;
    if (d.features == 0) d.features = values.size() - 1;
    if (values.size() - 1 != d.features) return false;
    d.labels.push_back(values.back());
    values.pop_back();
    d.x.insert(d.x.end(), values.begin(), values.end());
    ++d.rows;
  }
  return d.rows > 0;
}

}  // namespace

int main(int argc, char** argv) {
  dataset d;
  if (argc > 1) {
    if (!read_csv(argv[1], d)) {
      std::fprintf(stderr, "cannot read %s: expected rows of \"feature,...,label\"\n", argv[1]);
      return 2;
    }
  } else {
    d = generate(4096);
  }
  std::printf("%zu rows, %zu features\n", d.rows, d.features);

  std::vector<float> weights(d.features, 0.0f);
  float bias = 0.0f;
  std::vector<float> logits(d.rows), grad(d.rows);
  const float learning_rate = 0.5f;
  float first_loss = 0.0f, loss = 0.0f;
  for (int epoch = 0; epoch < 30; ++epoch) {
    for (std::size_t i = 0; i < d.rows; ++i) {
      float z = bias;
      for (std::size_t j = 0; j < d.features; ++j) z += weights[j] * d.x[i * d.features + j];
      logits[i] = z;
    }
    // Mean loss, and dL/dz_i = (sigma(z_i) - y_i) / n, in one pass.
    loss = logistic::bce_with_logits_fused(logits.data(), d.labels.data(), grad.data(), d.rows);
    if (std::isnan(loss)) {
      std::fprintf(stderr, "bad input (labels outside [0, 1]? NaN features?)\n");
      return 1;
    }
    if (epoch == 0) first_loss = loss;
    std::printf("epoch %2d  loss %.6f\n", epoch, static_cast<double>(loss));
    // dL/dw_j = sum_i dL/dz_i x_ij, dL/db = sum_i dL/dz_i.
    for (std::size_t j = 0; j < d.features; ++j) {
      float g = 0.0f;
      for (std::size_t i = 0; i < d.rows; ++i) g += grad[i] * d.x[i * d.features + j];
      weights[j] -= learning_rate * g;
    }
    float g_bias = 0.0f;
    for (float g : grad) g_bias += g;
    bias -= learning_rate * g_bias;
  }

  std::size_t correct = 0;
  for (std::size_t i = 0; i < d.rows; ++i) correct += (logits[i] > 0.0f) == (d.labels[i] > 0.5f);
  const double accuracy = static_cast<double>(correct) / static_cast<double>(d.rows);
  std::printf("weights:");
  for (float w : weights) std::printf(" %.4f", static_cast<double>(w));
  std::printf("  bias %.4f  training accuracy %.3f\n", static_cast<double>(bias), accuracy);
  // The same loss, elementwise, summed here in double: a cross-check of the reduced form.
  std::vector<float> per_row(d.rows);
  logistic::bce_with_logits(logits.data(), d.labels.data(), per_row.data(), d.rows);
  double sum = 0;
  for (float l : per_row) sum += static_cast<double>(l);
  std::printf("last epoch's loss: fused %.7f, elementwise then summed %.7f\n", static_cast<double>(loss),
              sum / static_cast<double>(d.rows));
  const bool learned = loss < first_loss && (argc > 1 || accuracy > 0.85);
  return learned ? 0 : 1;
}
