#ifndef DIFFDUB_CPNG_SHIM_H
#define DIFFDUB_CPNG_SHIM_H
#include <png.h>
#endif
