// Calibrates a classifier's logits by temperature scaling and by Platt scaling, prints
// NLL / ECE / Brier before and after, and draws the reliability diagram as an SVG file.
//
//   example_calibrate                        a miscalibrated set generated here (20 000 rows)
//   example_calibrate data.csv [out.svg]     rows "logit,label" (label 0 or 1; a header
//                                            line is skipped); "-" for data.csv: generated
//
// The diagram (out.svg, default reliability.svg) has one bar per non-empty bin (15
// equal-width bins of sigma(x / t), the temperature-scaled probability) at the bin's
// observed frequency, the uncalibrated model's bins as a dashed line, and the diagonal.
// The bins are also printed, one line each, so that a test can check the SVG against them
// (tests/check_svg.py). Exits 1 on bad input or if a fit fails.
#include <logistic/calibration_metrics.hpp>
#include <logistic/fit_platt.hpp>
#include <logistic/fit_temperature.hpp>
#include <logistic/sigmoid.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct dataset {
  std::vector<float> logits, labels;
};

// A model whose true logit is z ~ N(0, 1.5^2), label ~ Bernoulli(sigma(z)), but which
// reports 2.5 z + 0.5: overconfident and biased toward class 1.
dataset generate(std::size_t rows) {
  dataset d;
  std::uint64_t state = 2024;
  auto uniform = [&state] {  // splitmix64 in (0, 1)
    std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (static_cast<double>((z ^ (z >> 31)) >> 11) + 0.5) * 0x1p-53;
  };
  for (std::size_t i = 0; i < rows; ++i) {
    const double z = 1.5 * std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
    d.labels.push_back(uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0f : 0.0f);
    d.logits.push_back(static_cast<float>(2.5 * z + 0.5));
  }
  return d;
}

bool read_csv(const char* path, dataset& d) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path);
    return false;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    float logit = 0, label = 0;
    char comma = 0;
    if (!(fields >> logit >> comma >> label) || comma != ',') {
      if (number == 1) continue;  // a header
      std::fprintf(stderr, "%s:%zu: expected \"logit,label\"\n", path, number);
      return false;
    }
    d.logits.push_back(logit);
    d.labels.push_back(label);
  }
  return true;
}

struct scores {
  double nll, ece, brier;
};

// The metrics of the logits z' = scale z + bias; probs receives sigma(z').
scores evaluate(const dataset& d, logistic::affine<float> transform, std::vector<float>& probs) {
  const std::size_t n = d.logits.size();
  std::vector<float> z(n);
  for (std::size_t i = 0; i < n; ++i) z[i] = transform.scale * d.logits[i] + transform.bias;
  probs.resize(n);
  logistic::sigmoid(z.data(), probs.data(), n);
  return {logistic::log_loss_from_logits(z.data(), d.labels.data(), n).value,
          logistic::expected_calibration_error(probs.data(), d.labels.data(), n).value,
          logistic::brier_score(probs.data(), d.labels.data(), n).value};
}

// The reliability diagram: bars for `after`, a dashed line through `before`'s bins.
bool write_svg(const char* path, const logistic::reliability_diagram& after,
               const logistic::reliability_diagram& before) {
  std::ofstream out(path);
  const double size = 400, margin = 50;  // the plot is a size x size square
  auto px = [&](double v) { return margin + v * size; };         // probability -> x
  auto py = [&](double v) { return margin + (1 - v) * size; };   // frequency -> y
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"500\" height=\"500\" "
         "viewBox=\"0 0 500 500\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title>Reliability diagram</title>\n"
      << "<rect x=\"" << margin << "\" y=\"" << margin << "\" width=\"" << size << "\" height=\""
      << size << "\" fill=\"none\" stroke=\"black\"/>\n"
      << "<line x1=\"" << px(0) << "\" y1=\"" << py(0) << "\" x2=\"" << px(1) << "\" y2=\"" << py(1)
      << "\" stroke=\"gray\"/>\n";
  for (const logistic::reliability_bin& b : after.bins) {
    if (b.count == 0) continue;
    out << "<rect class=\"bar\" data-count=\"" << b.count << "\" x=\"" << px(b.lower) << "\" y=\""
        << py(b.observed_frequency) << "\" width=\"" << (b.upper - b.lower) * size
        << "\" height=\"" << b.observed_frequency * size
        << "\" fill=\"steelblue\" fill-opacity=\"0.7\" stroke=\"white\"/>\n";
  }
  out << "<polyline class=\"uncalibrated\" fill=\"none\" stroke=\"firebrick\" "
         "stroke-dasharray=\"4 3\" points=\"";
  for (const logistic::reliability_bin& b : before.bins) {
    if (b.count > 0) out << px(b.mean_confidence) << "," << py(b.observed_frequency) << " ";
  }
  out << "\"/>\n"
      << "<text x=\"250\" y=\"30\" text-anchor=\"middle\" font-size=\"15\">Reliability: "
         "bars after temperature scaling, dashed before</text>\n"
      << "<text x=\"250\" y=\"485\" text-anchor=\"middle\">predicted probability</text>\n"
      << "<text x=\"15\" y=\"250\" text-anchor=\"middle\" transform=\"rotate(-90 15 250)\">"
         "observed frequency</text>\n"
      << "</svg>\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  dataset d;
  const bool generated = argc < 2 || std::string(argv[1]) == "-";
  if (generated) {
    d = generate(20000);
  } else if (!read_csv(argv[1], d)) {
    return 1;
  }
  const char* svg_path = argc > 2 ? argv[2] : "reliability.svg";
  const std::size_t n = d.logits.size();

  const auto temperature = logistic::fit_temperature(d.logits.data(), d.labels.data(), n);
  const auto platt = logistic::fit_platt(d.logits.data(), d.labels.data(), n);
  if (temperature.status != logistic::calibration_status::ok ||
      platt.status != logistic::calibration_status::ok) {
    std::fprintf(stderr, "fit failed: temperature: %s; Platt: %s\n", temperature.message,
                 platt.message);
    return 1;
  }
  std::printf("%zu samples (%s)\n", n, generated ? "generated" : argv[1]);
  std::printf("temperature: t = %.6f (%d passes)\n", static_cast<double>(temperature.temperature),
              temperature.passes);
  std::printf("Platt: p = 1 / (1 + exp(%.6f x %+.6f)) (%d iterations)\n\n", platt.a, platt.b,
              platt.iterations);

  std::vector<float> raw, scaled, platted;
  const scores s0 = evaluate(d, {1.0f, 0.0f}, raw);
  const scores s1 = evaluate(d, temperature.transform(), scaled);
  const scores s2 = evaluate(d, platt.transform(), platted);
  std::printf("%-14s %9s %9s %9s\n", "", "NLL", "ECE", "Brier");
  std::printf("%-14s %9.5f %9.5f %9.5f\n", "uncalibrated", s0.nll, s0.ece, s0.brier);
  std::printf("%-14s %9.5f %9.5f %9.5f\n", "temperature", s1.nll, s1.ece, s1.brier);
  std::printf("%-14s %9.5f %9.5f %9.5f\n\n", "Platt", s2.nll, s2.ece, s2.brier);

  const auto after = logistic::reliability_bins(scaled.data(), d.labels.data(), n);
  const auto before = logistic::reliability_bins(raw.data(), d.labels.data(), n);
  std::printf("reliability bins after temperature scaling:\n");
  for (const logistic::reliability_bin& b : after.bins) {
    std::printf("bin (%.4f, %.4f] count %zu confidence %.4f frequency %.4f\n", b.lower, b.upper,
                b.count, b.mean_confidence, b.observed_frequency);
  }
  if (!write_svg(svg_path, after, before)) {
    std::fprintf(stderr, "cannot write %s\n", svg_path);
    return 1;
  }
  std::printf("wrote %s\n", svg_path);
  // On the generated data both fits must help.
  return generated && !(s1.nll < s0.nll && s2.nll < s0.nll && s1.ece < s0.ece) ? 1 : 0;
}
