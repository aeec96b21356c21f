// logistic — numerically stable, SIMD-vectorized kernels for the logistic
// (sigmoid) family. This umbrella header includes every public header.
#ifndef LOGISTIC_LOGISTIC_HPP
#define LOGISTIC_LOGISTIC_HPP

#include "sigmoid.hpp"
#include "affine.hpp"
#include "logit.hpp"
#include "softplus.hpp"
#include "sigmoid_grad.hpp"
#include "silu.hpp"
#include "bce.hpp"
#include "calibration_metrics.hpp"
#include "fit_isotonic.hpp"
#include "summarize.hpp"
#include "fit_temperature.hpp"
#include "fit_platt.hpp"
#include "version.hpp"

#endif
