// The target's only functions are the inline ones of include/CCPUHints.h; SwiftPM needs a source
// file to build a C target.
#include "CCPUHints.h"
