//===- Error.cpp - Exception-free error values ----------------------------===//
//
// This file implements reportFatalError, the one place the runtime aborts.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Error.h"

#include <cstdio>
#include <cstdlib>

namespace graft {

void reportFatalError(const std::string &message) {
  std::fprintf(stderr, "graft: fatal error: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace graft
