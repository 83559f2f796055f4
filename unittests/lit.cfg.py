# lit configuration for the GoogleTest programs under unittests/.
import lit.formats

config.name = "Graft-Unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.graft_unittest_dir
config.test_exec_root = config.graft_unittest_dir
