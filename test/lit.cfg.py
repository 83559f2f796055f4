# lit configuration for Graft's IR and integration tests.
import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "Graft"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "check-snippets.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.graft_obj_root, "test")

config.substitutions.append(("%examples", config.graft_examples_dir))
config.substitutions.append(("%graft_obj_root", config.graft_obj_root))
config.substitutions.append(("%graft_src_root", config.graft_src_root))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(
    ("%configure_example",
     f"{config.cmake_command} -G Ninja -DCMAKE_MAKE_PROGRAM={config.make_program}"
     f" -DCMAKE_CXX_COMPILER={config.cxx_compiler}"))
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["tensor-opt", "tensor-run"], [config.graft_tools_dir])
