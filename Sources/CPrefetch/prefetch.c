// The target's only function is the inline one of include/CPrefetch.h; SwiftPM needs a source
// file to build a C target.
#include "CPrefetch.h"
