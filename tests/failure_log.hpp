// Test support: counts failures and keeps the first few for the report.
#ifndef LOGISTIC_TESTS_FAILURE_LOG_HPP
#define LOGISTIC_TESTS_FAILURE_LOG_HPP

#include <cstddef>
#include <string>

namespace logistic_test {

class failure_log {
 public:
  // Counts a failure; true for the first few, which the caller then describes.
  bool record() { return count_++ < max_described; }
  void describe(const std::string& what) { first_ += what + "\n"; }
  std::size_t count() const { return count_; }
  const std::string& first() const { return first_; }

 private:
  static constexpr std::size_t max_described = 8;
  std::size_t count_ = 0;
  std::string first_;
};

}  // namespace logistic_test

#endif
