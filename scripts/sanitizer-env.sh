# Sourced by scripts/test-sanitizers.sh and scripts/fuzz.sh: the runtime
# options of a GRAFT_SANITIZERS build. lit passes these variables through to
# every test, so `ninja -C build-san check-graft` after sourcing this file
# runs exactly what scripts/test-sanitizers.sh runs.

# The configuration of the sanitizer build dir: the fuzz targets share it,
# so one build serves both scripts.
sanitizer_cmake_args="-DGRAFT_SANITIZERS=address;undefined -DGRAFT_BUILD_FUZZERS=ON"

# LeakSanitizer runs with ASan by default. allocator_may_return_null=1: an
# allocation too large to succeed returns null as it does without ASan, and
# Graft reports it as an Error (Tensor::tryEmpty, the buffer cache) instead
# of ASan aborting the process.
export ASAN_OPTIONS=allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1
# The stress test's 1000 graphs take minutes under ASan; 200 cover every op
# and still let LSan check a long run for leaks.
export GRAFT_STRESS_GRAPHS=200
