// Eigen 3.4's vectorized ArrayBase::logistic(). This is the only TU that includes
// Eigen: two TUs built with different -m flags would instantiate the same Eigen
// templates with different code, and the linker would keep one of them for both.
// CMake compiles it with the flags of the widest architecture it builds.
#include "bench.hpp"

#include <Eigen/Core>

namespace {

template <class T>
void eigen_logistic(const T* in, T* out, std::size_t n) {
    using array = Eigen::Array<T, Eigen::Dynamic, 1>;
    const auto size = static_cast<Eigen::Index>(n);
    Eigen::Map<array>(out, size) = Eigen::Map<const array>(in, size).logistic();
}

}  // namespace

void logistic_bench::add_rows_eigen() {
    add_row(LOGISTIC_BENCH_ROW("eigen"), {eigen_logistic<float>},
            {eigen_logistic<double>});
}
