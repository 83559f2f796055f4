//===- NpyFuzzer.cpp - Fuzz the .npy reader -------------------------------===//
//
// This file implements the libFuzzer target for graft's .npy reader. Every
// input goes through both readers: parseNpy on the bytes in memory, and
// readNpy on the same bytes as a regular file (a memfd), whose path first
// reads the fixed preamble and then only the header it declares. Both must
// agree, and a file that parses must survive a round trip through
// serializeNpy unchanged.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Npy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

[[noreturn]] void fail(const std::string &message) {
  std::fprintf(stderr, "npy fuzzer: %s\n", message.c_str());
  std::abort();
}

bool sameTensor(const graft::Tensor &a, const graft::Tensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.nbytes() == b.nbytes() &&
         (a.nbytes() == 0 || std::memcmp(a.data(), b.data(), a.nbytes()) == 0);
}

/// readNpy on `data` stored in an anonymous regular file.
graft::Expected<graft::Tensor> readThroughFile(const uint8_t *data,
                                               size_t size) {
  static int fd = memfd_create("npy-fuzz", 0);
  if (fd < 0)
    fail("memfd_create failed");
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) !=
                                   static_cast<ssize_t>(size))
    fail("cannot write the memfd");
  if (lseek(fd, 0, SEEK_SET) != 0)
    fail("cannot rewind the memfd");
  return graft::readNpy("/proc/self/fd/" + std::to_string(fd));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  graft::Expected<graft::Tensor> parsed = graft::parseNpy(data, size);
  graft::Expected<graft::Tensor> read = readThroughFile(data, size);
  if (static_cast<bool>(parsed) != static_cast<bool>(read))
    fail("parseNpy and readNpy disagree: parseNpy " +
         (parsed ? std::string("succeeded") : parsed.error().message()) +
         "; readNpy " +
         (read ? std::string("succeeded") : read.error().message()));
  if (!parsed) {
    if (parsed.error().message().empty())
      fail("a rejected input has an empty error message");
    return 0;
  }
  if (!sameTensor(*parsed, *read))
    fail("parseNpy and readNpy read different tensors");

  std::string bytes = graft::serializeNpy(*parsed);
  graft::Expected<graft::Tensor> again =
      graft::parseNpy(bytes.data(), bytes.size(), "<round trip>");
  if (!again)
    fail("cannot parse what serializeNpy wrote: " + again.error().message());
  if (!sameTensor(*parsed, *again))
    fail("the round trip through serializeNpy changed the tensor");
  return 0;
}
