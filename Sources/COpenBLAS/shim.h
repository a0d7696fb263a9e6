#ifndef DIFFDUB_COPENBLAS_SHIM_H
#define DIFFDUB_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
