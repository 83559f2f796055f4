# lit configuration for the GoogleTest programs under unittests/.
import os

import lit.formats

config.name = "Graft-Unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.graft_unittest_dir
config.test_exec_root = config.graft_unittest_dir

# The knobs of the stress tests (unittests/Reference/DifferentialTest.cpp),
# which the sanitizer run sets (scripts/sanitizer-env.sh).
for name in ["GRAFT_STRESS_GRAPHS", "GRAFT_SOAK_SECONDS"]:
    if name in os.environ:
        config.environment[name] = os.environ[name]
