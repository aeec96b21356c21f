// Replay driver for fuzz_logistic.cpp where libFuzzer is not available (g++): runs
// LLVMFuzzerTestOneInput on each file named on the command line (a crash input that
// libFuzzer saved, say), or on pseudo-random inputs:
//
//   fuzz_logistic_sse2 crash-1234 crash-5678
//   fuzz_logistic_sse2 --random <count> [--seed <s>] [--max-len <bytes>]
//
// A failed check aborts, as under libFuzzer. Exit 0 when every input passed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  unsigned long long count = 0;
  unsigned long long seed = 1;
  std::size_t max_len = 4096;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
      count = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--max-len") == 0 && i + 1 < argc) {
      max_len = static_cast<std::size_t>(std::strtoull(argv[++i], nullptr, 10));
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: %s [files...] [--random N [--seed S] [--max-len B]]\n", argv[0]);
      return 2;
    } else {
      files.push_back(argv[i]);
    }
  }
  for (const char* name : files) {
    std::ifstream file(name, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n", name);
      return 2;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                  std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    std::printf("ok: %s (%zu bytes)\n", name, bytes.size());
  }
  std::mt19937_64 rng(seed);
  std::vector<std::uint8_t> input;
  for (unsigned long long k = 0; k < count; ++k) {
    input.resize(static_cast<std::size_t>(rng() % (max_len + 1)));
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  if (count > 0) std::printf("ok: %llu random inputs (seed %llu)\n", count, seed);
  return 0;
}
