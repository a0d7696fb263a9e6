#ifndef DIFFDUB_CSNDFILE_SHIM_H
#define DIFFDUB_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
