// Catch2 2.x / 3.x compatibility: tests include "catch.hpp" and nothing else from Catch2.
//
// CMake defines LOGISTIC_CATCH2_MAJOR (2 or 3) after the package it found and linked, which
// matters when both versions' headers are installed; without it, the v3 headers win if they
// can be included. Either way the tests see TEST_CASE, SECTION, REQUIRE, CHECK, INFO,
// REQUIRE_THAT / CHECK_THAT and the floating-point matchers Catch::Matchers::WithinULP,
// WithinAbs and WithinRel, spelled the same in both versions.
#ifndef LOGISTIC_TESTS_CATCH_HPP
#define LOGISTIC_TESTS_CATCH_HPP

#if !defined(LOGISTIC_CATCH2_MAJOR)
#if defined(__has_include)
#if __has_include(<catch2/catch_test_macros.hpp>)
#define LOGISTIC_CATCH2_MAJOR 3
#else
#define LOGISTIC_CATCH2_MAJOR 2
#endif
#else
#define LOGISTIC_CATCH2_MAJOR 2
#endif
#endif

#if LOGISTIC_CATCH2_MAJOR >= 3
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif  // LOGISTIC_TESTS_CATCH_HPP
