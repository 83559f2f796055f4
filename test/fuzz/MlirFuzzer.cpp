//===- MlirFuzzer.cpp - Fuzz parsing, verifying and compiling graft IR ----===//
//
// This file implements the libFuzzer target for graft IR text. Each input is
// parsed and verified with the registry the engine uses, and parsed as a
// graft::Graph, which must print IR that parses back. A module that
// verifies, holds only func and graft ops and whose tensors are small then
// goes through graft::Engine (the whole JIT pipeline) and, if it compiles,
// is called on random inputs. Every failure on the way must come back as a
// diagnostic or a graft::Error; an assertion, a crash or a sanitizer report
// is a bug.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"
#include "graft/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Bounds on what is compiled and run, so that one input takes about a
// second: compile time grows with the op count, run time with the sizes.
// 1 MiB (a 512x512 f32 matmul) is past every size threshold of the code
// generator (packing, distribution); the seed's 1000x1000 backward pass
// took 12 s an input under ASan.
constexpr int64_t kMaxTensorBytes = 1 << 20;
constexpr int64_t kMaxTotalBytes = 16 << 20;
constexpr int64_t kMaxOps = 48;
constexpr int kMaxEntries = 3;

/// The bytes of a statically shaped tensor type, or -1 when too large to
/// compute.
int64_t tensorBytes(mlir::RankedTensorType type) {
  int64_t bytes = std::max<int64_t>(
      1, static_cast<int64_t>(type.getElementTypeBitWidth() / 8));
  for (int64_t dim : type.getShape()) {
    if (dim != 0 && bytes > kMaxTotalBytes / dim)
      return -1;
    bytes *= dim;
  }
  return bytes;
}

/// Whether `module` is graft IR of a size worth compiling and running.
bool worthCompiling(mlir::ModuleOp module) {
  int64_t ops = 0;
  int64_t totalBytes = 0;
  auto fits = [&](mlir::Type type) {
    auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !tensor.getElementType().isIntOrFloat())
      return true; // the engine must reject it with an Error
    int64_t bytes = tensorBytes(tensor);
    if (bytes < 0 || bytes > kMaxTensorBytes)
      return false;
    totalBytes += bytes;
    return totalBytes <= kMaxTotalBytes;
  };
  mlir::WalkResult result = module.walk([&](mlir::Operation *op) {
    llvm::StringRef dialect = op->getName().getDialectNamespace();
    if (op != module && dialect != "graft" && dialect != "func")
      return mlir::WalkResult::interrupt();
    if (++ops > kMaxOps)
      return mlir::WalkResult::interrupt();
    for (mlir::Type type : op->getResultTypes())
      if (!fits(type))
        return mlir::WalkResult::interrupt();
    for (mlir::Region &region : op->getRegions())
      for (mlir::Block &block : region)
        for (mlir::Type type : block.getArgumentTypes())
          if (!fits(type))
            return mlir::WalkResult::interrupt();
    return mlir::WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// Compiles function `entry` of `source` with the engine and calls it on
/// random inputs.
void compileAndRun(std::string_view source, const std::string &entry) {
  graft::Engine engine;
  graft::CompileOptions options;
  options.entry = entry;
  options.threads = 1;
  options.useCache = false;
  graft::Expected<graft::Function> function =
      engine.compile(source, options, "<fuzz>");
  if (!function) {
    graft::fuzz::checkError("compile", function.error());
    return;
  }
  graft::Expected<std::vector<graft::Tensor>> outputs =
      graft::fuzz::callOnRandomInputs(*function);
  if (!outputs)
    graft::fuzz::checkError("call", outputs.error());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer relies on the NUL that ends every llvm::MemoryBuffer, and
  // parseSourceString does not add one: parse a std::string, as the engine
  // and Graph::parse parse a copy.
  const std::string source(reinterpret_cast<const char *>(data), size);
  mlir::MLIRContext context(mlir::graft::createDialectRegistry(),
                            mlir::MLIRContext::Threading::DISABLED);
  // Diagnostics are expected for most inputs; count them instead of printing
  // them, and insist that every rejected input got at least one.
  int errors = 0;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      ++errors;
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  if (!module) {
    if (errors == 0) {
      std::fprintf(stderr, "mlir fuzzer: rejected without a diagnostic\n");
      std::abort();
    }
    return 0;
  }
  // The same text as a graft::Graph: parsed, it must print IR that parses
  // back.
  graft::Expected<graft::Graph> graph = graft::Graph::parse(source);
  if (graph) {
    graft::Expected<graft::Graph> again = graft::Graph::parse(graph->print());
    if (!again) {
      std::fprintf(stderr, "mlir fuzzer: a parsed graph prints IR that does "
                           "not parse back: %s\n",
                   again.error().message().c_str());
      std::abort();
    }
  } else {
    graft::fuzz::checkError("Graph::parse", graph.error());
  }
  if (!worthCompiling(*module))
    return 0;
  // Each public function in turn (the tests' modules hold several), and
  // the engine's own choice, which fails with an error unless there is
  // exactly one.
  int compiled = 0;
  for (auto func : module->getOps<mlir::func::FuncOp>())
    if (func.isPublic() && !func.isExternal() && compiled++ < kMaxEntries)
      compileAndRun(source, func.getName().str());
  if (compiled != 1)
    compileAndRun(source, "");
  return 0;
}
