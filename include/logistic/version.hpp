// logistic — version of the library. CMake reads the numbers from this file.
#ifndef LOGISTIC_VERSION_HPP
#define LOGISTIC_VERSION_HPP

#define LOGISTIC_VERSION_MAJOR 0
#define LOGISTIC_VERSION_MINOR 1
#define LOGISTIC_VERSION_PATCH 0
#define LOGISTIC_VERSION_STRING "0.1.0"

#endif
