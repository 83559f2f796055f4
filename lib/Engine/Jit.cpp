//===- Jit.cpp - LLVM optimization, machine code and linking ----*- C++ -*-===//
//
// This file implements JitCode: translation of the LLVM dialect, LLVM's
// optimization and code generation, on several threads when asked, and
// linking in an ORC LLJIT. It replaces mlir::ExecutionEngine, which
// optimizes and compiles a module on one thread only.
//
//===----------------------------------------------------------------------===//

#include "Jit.h"
#include "RuntimeSymbols.h"
#include "Stages.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/JITEventListener.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

using namespace graft;

namespace {

Error llvmError(const std::string &what, llvm::Error err) {
  return Error(what + ": " + llvm::toString(std::move(err)));
}

/// The LLVM passes Graft skips. IndVarSimplify: see runLLVMPipeline. The
/// others changed nothing in the machine code of any integration-test or
/// benchmark graph, on 1 and 2 threads, and took 2.3% of the seed graph's
/// compile (callgrind). Three serve or do vectorization, which Graft's code
/// arrives with (graft-vectorize also forwards stored values); three look
/// for conditions, instructions and stores that Graft's loops do not have;
/// CalledValuePropagation for indirect calls, of which there are none.
constexpr llvm::StringLiteral skippedPasses[] = {"IndVarSimplifyPass",
                                                 "LoopLoadEliminationPass",
                                                 "SLPVectorizerPass",
                                                 "VectorCombinePass",
                                                 "ConstraintEliminationPass",
                                                 "LoopInstSimplifyPass",
                                                 "DSEPass",
                                                 "CalledValuePropagationPass"};

/// The runs of InstCombine Graft keeps, counted per function from 1. O3
/// runs it nine times on each function. Skipping runs 3, 5, 7, 8 and 9
/// together changed nothing in the machine code of any integration-test or
/// benchmark graph, on 1 and 2 threads, and saved 2-3% of the seed graph's
/// compile (callgrind). Runs 1, 2 and 4 each matter alone; run 6 once 7 to
/// 9 are skipped (it does what they would).
constexpr unsigned keptInstCombineRuns[] = {1, 2, 4, 6};

/// LLVM's default pipeline at `optLevel` (1-3; 0 runs nothing), without
/// LLVM's own loop unrolling, without `skippedPasses`, and with only the
/// `keptInstCombineRuns` of InstCombine.
/// - Graft's loops are already unrolled to register tiles and vector
///   strips; unrolling them again made blocks of hundreds of wide vector
///   instructions, which only cost instruction selection and scheduling
///   time (the seed graph's optimization and machine code: 345 -> 220 ms,
///   and 16 -> 9 KB of code).
/// - Graft's loops already count from 0 by a constant step to a constant
///   bound. IndVarSimplify proved little more about them, and its proofs
///   (every comparison of an induction variable against every condition
///   that guards its block) were a third of LLVM's optimization time: 8%
///   of the seed graph's compile. What it did change: an inner loop keeps
///   its counter next to the pointers Loop Strength Reduction derives, one
///   more integer add per iteration (4% more instructions in a 256^3
///   matmul, none in softmax), with no measurable change in run time.
void runLLVMPipeline(llvm::Module &module, llvm::TargetMachine *machine,
                     unsigned optLevel) {
  if (optLevel == 0)
    return;
  static const llvm::OptimizationLevel levels[] = {llvm::OptimizationLevel::O1,
                                                   llvm::OptimizationLevel::O2,
                                                   llvm::OptimizationLevel::O3};
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = false;
  llvm::PassInstrumentationCallbacks instrumentation;
  llvm::DenseMap<const llvm::Function *, unsigned> instCombineRuns;
  instrumentation.registerShouldRunOptionalPassCallback(
      [&](llvm::StringRef pass, llvm::Any ir) {
        if (llvm::is_contained(skippedPasses, pass))
          return false;
        const auto *function = llvm::any_cast<const llvm::Function *>(&ir);
        if (pass != "InstCombinePass" || !function)
          return true;
        return llvm::is_contained(keptInstCombineRuns,
                                  ++instCombineRuns[*function]);
      });
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(machine, tuning, std::nullopt, &instrumentation);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  builder.buildPerModuleDefaultPipeline(levels[std::min(optLevel, 3u) - 1])
      .run(module, modules);
}

/// A target machine for the host CPU, with all its features.
Expected<std::unique_ptr<llvm::TargetMachine>> hostTargetMachine() {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return Error(llvm::toString(builder.takeError()));
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = builder->createTargetMachine();
  if (!machine)
    return Error(llvm::toString(machine.takeError()));
  return std::move(*machine);
}

/// The LLVM optimization Graft runs on a translated module. MLIR emits no
/// target attributes, so each function first gets the host CPU and its
/// features, and on AVX-512 hosts a preferred vector width of
/// 512 bits: without it, LLVM splits the 32-lane vectors of the matmul
/// register tile into 256-bit halves on CPUs whose tuning prefers 256.
std::function<llvm::Error(llvm::Module *)>
makeHostOptimizer(llvm::TargetMachine *machine, unsigned optLevel) {
  std::string cpu = machine->getTargetCPU().str();
  std::string features = machine->getTargetFeatureString().str();
  bool avx512 = features.find("+avx512f") != std::string::npos;
  return [=](llvm::Module *module) -> llvm::Error {
    for (llvm::Function &function : *module) {
      if (function.isDeclaration())
        continue;
      function.addFnAttr("target-cpu", cpu);
      function.addFnAttr("target-features", features);
      if (avx512) {
        function.addFnAttr("prefer-vector-width", "512");
        function.addFnAttr("min-legal-vector-width", "512");
      }
    }
    runLLVMPipeline(*module, machine, optLevel);
    return llvm::Error::success();
  };
}

/// Makes `module` code for the host `machine`.
void setHostTarget(llvm::Module &module, llvm::TargetMachine &machine) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple());
}

/// Defines `_mlir_<entry>(void **args)`, which loads each argument of
/// `entry` through its pointer in `args` and calls it (the packed calling
/// convention of mlir::ExecutionEngine). Graft's entry functions return
/// nothing: results are written to caller-provided buffers.
void definePackedWrapper(llvm::Module &module, llvm::Function &entry) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  auto *type = llvm::FunctionType::get(builder.getVoidTy(), builder.getPtrTy(),
                                       /*isVarArg=*/false);
  auto *wrapper =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                             "_mlir_" + entry.getName(), module);
  builder.SetInsertPoint(llvm::BasicBlock::Create(context, "", wrapper));
  llvm::SmallVector<llvm::Value *> args;
  for (llvm::Argument &arg : entry.args()) {
    llvm::Value *slot = builder.CreateConstGEP1_64(
        builder.getPtrTy(), wrapper->getArg(0), arg.getArgNo());
    llvm::Value *pointer = builder.CreateLoad(builder.getPtrTy(), slot);
    args.push_back(builder.CreateLoad(arg.getType(), pointer));
  }
  builder.CreateCall(&entry, args);
  builder.CreateRetVoid();
}

/// The part (0 to `parts` - 1) each function of `module` is compiled in:
/// largest first, each to the part with the fewest instructions so far.
std::map<std::string, unsigned> assignParts(llvm::Module &module,
                                            unsigned parts) {
  std::vector<std::pair<size_t, std::string>> sizes;
  for (llvm::Function &function : module)
    if (!function.isDeclaration())
      sizes.push_back(
          {function.getInstructionCount(), function.getName().str()});
  std::stable_sort(
      sizes.begin(), sizes.end(),
      [](const auto &a, const auto &b) { return a.first > b.first; });
  std::vector<size_t> load(parts, 0);
  std::map<std::string, unsigned> partOf;
  for (const auto &[size, name] : sizes) {
    unsigned part = std::min_element(load.begin(), load.end()) - load.begin();
    partOf[name] = part;
    load[part] += size;
  }
  return partOf;
}

/// Whether `module` can be compiled in parts: each part gets its own copy
/// of the module's constants, so there must be no variable the parts would
/// share, and no global another part could also define.
bool isSplittable(llvm::Module &module) {
  return llvm::all_of(module.globals(), [](llvm::GlobalVariable &variable) {
    return variable.isDeclaration() ||
           (variable.isConstant() && variable.hasLocalLinkage());
  });
}

/// Makes every function of `module` callable from another part: names the
/// anonymous ones and gives local ones external linkage (an outlined
/// parallel region is private to the module, and its caller may be in
/// another part).
void externalizeFunctions(llvm::Module &module) {
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    if (!function.hasName())
      function.setName("graft.anonymous");
    if (function.hasLocalLinkage()) {
      function.setLinkage(llvm::GlobalValue::ExternalLinkage);
      function.setVisibility(llvm::GlobalValue::HiddenVisibility);
    }
  }
}

/// Keeps the function definitions of part `part` only; the others become
/// declarations. Constants stay: each part keeps those it uses.
void keepPart(llvm::Module &module,
              const std::map<std::string, unsigned> &partOf, unsigned part) {
  for (llvm::Function &function : module) {
    auto it = partOf.find(function.getName().str());
    if (!function.isDeclaration() && it != partOf.end() && it->second != part)
      function.deleteBody();
  }
}

/// An object file of one part, and how long it took.
struct CompiledPart {
  std::unique_ptr<llvm::MemoryBuffer> object;
  std::string optimizedIR;
  double optimizeMs = 0;
  Error error = Error::success();
};

/// Optimizes and compiles `module` for the host.
void compilePart(llvm::Module &module, const JitOptions &options,
                 CompiledPart &result) {
  Expected<std::unique_ptr<llvm::TargetMachine>> machine = hostTargetMachine();
  if (!machine) {
    result.error = machine.error();
    return;
  }
  setHostTarget(module, **machine);
  Clock::time_point start = Clock::now();
  if (llvm::Error err =
          makeHostOptimizer(machine->get(), options.optLevel)(&module)) {
    result.error = llvmError("LLVM optimization failed", std::move(err));
    return;
  }
  result.optimizeMs = millisecondsSince(start);
  if (options.dumpOptimized) {
    llvm::raw_string_ostream os(result.optimizedIR);
    module.print(os, nullptr);
  }
  llvm::orc::SimpleCompiler compiler(**machine);
  auto object = compiler(module);
  if (!object) {
    result.error =
        llvmError("machine code generation failed", object.takeError());
    return;
  }
  result.object = std::move(*object);
}

/// Parses `bitcode` into a context of its own, keeps part `part` of it and
/// compiles that; for the threads other than the caller's.
void compileCopiedPart(llvm::StringRef bitcode,
                       const std::map<std::string, unsigned> &partOf,
                       unsigned part, const JitOptions &options,
                       CompiledPart &result) {
  llvm::LLVMContext context;
  auto module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(bitcode, "graft-part"), context);
  if (!module) {
    result.error =
        llvmError("copying a module part failed", module.takeError());
    return;
  }
  keepPart(**module, partOf, part);
  compilePart(**module, options, result);
}

/// An LLJIT that links objects with the runtime functions and the process's
/// symbols (libm, the OpenMP runtime), as mlir::ExecutionEngine does.
Expected<std::unique_ptr<llvm::orc::LLJIT>>
createJit(const llvm::DataLayout &layout) {
  auto jit =
      llvm::orc::LLJITBuilder()
          .setDataLayout(layout)
          .setObjectLinkingLayerCreator(
              [](llvm::orc::ExecutionSession &session)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                auto layer =
                    std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                        session, [](const llvm::MemoryBuffer &) {
                          return std::make_unique<llvm::SectionMemoryManager>();
                        });
                // As mlir::ExecutionEngine: gdb, and perf where LLVM was
                // built with it, see the compiled functions.
                layer->registerJITEventListener(
                    *llvm::JITEventListener::createGDBRegistrationListener());
                if (llvm::JITEventListener *perf =
                        llvm::JITEventListener::createPerfJITEventListener())
                  layer->registerJITEventListener(*perf);
                return layer;
              })
          .create();
  if (!jit)
    return llvmError("creating the JIT failed", jit.takeError());
  // LLJIT links the process's symbols by default.
  registerRuntimeSymbols(**jit);
  return std::move(*jit);
}

} // namespace

void graft::initializeLLVMOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // Every PassBuilder holds the process's real file system, a static
    // local of libLLVM. Creating it here, before any compile thread
    // exists, orders its creation before every use where ThreadSanitizer
    // can see it (libLLVM's own guard is not instrumented).
    (void)llvm::vfs::getRealFileSystem();
  });
}

Expected<std::string> graft::emitHostCode(mlir::ModuleOp mlirModule,
                                          unsigned optLevel, bool assembly) {
  initializeLLVMOnce();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module =
      mlir::translateModuleToLLVMIR(mlirModule, context);
  if (!module)
    return Error("translation to LLVM IR failed");
  Expected<std::unique_ptr<llvm::TargetMachine>> machine = hostTargetMachine();
  if (!machine)
    return machine.error();
  setHostTarget(*module, **machine);
  if (llvm::Error err = makeHostOptimizer(machine->get(), optLevel)(&*module))
    return llvmError("LLVM optimization failed", std::move(err));

  std::string text;
  llvm::raw_string_ostream os(text);
  if (!assembly) {
    module->print(os, nullptr);
    return text;
  }
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream bufferStream(buffer);
  llvm::legacy::PassManager codegen;
  if ((*machine)->addPassesToEmitFile(codegen, bufferStream, nullptr,
                                      llvm::CodeGenFileType::AssemblyFile))
    return Error("the host target cannot emit assembly");
  codegen.run(*module);
  return std::string(buffer.str());
}

JitCode::~JitCode() = default;

Expected<std::unique_ptr<JitCode>> JitCode::compile(mlir::ModuleOp mlirModule,
                                                    const std::string &entry,
                                                    const JitOptions &options,
                                                    JitTimes &times) {
  initializeLLVMOnce();
  Clock::time_point start = Clock::now();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module =
      mlir::translateModuleToLLVMIR(mlirModule, context);
  if (!module)
    return Error("translation to LLVM IR failed");
  llvm::Function *entryFunction = module->getFunction(entry);
  if (!entryFunction || entryFunction->isDeclaration())
    return Error("the LLVM module defines no function '" + entry + "'");
  if (module->getFunction("_mlir_" + entry))
    return Error("the LLVM module already has a function '_mlir_" + entry +
                 "', the name of the entry's packed wrapper");
  // Objects added to the JIT have their constructors run by no one.
  if (module->getNamedGlobal("llvm.global_ctors") ||
      module->getNamedGlobal("llvm.global_dtors"))
    return Error("the LLVM module has global constructors or destructors, "
                 "which the JIT does not run");
  definePackedWrapper(*module, *entryFunction);

  // Each parallel region is a function of its own (OpenMP outlines them),
  // so with threads the module splits into parts that are optimized and
  // compiled at the same time. The regions are only called through the
  // OpenMP runtime, never inlined; what the parts lose is interprocedural
  // attribute inference across them. No more parts than cores: each one
  // is a thread and a copy of the module.
  unsigned functions = llvm::count_if(
      *module, [](llvm::Function &f) { return !f.isDeclaration(); });
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned parts =
      std::clamp(std::min(options.threads, cores), 1u, std::max(1u, functions));
  if (!isSplittable(*module))
    parts = 1;
  std::map<std::string, unsigned> partOf;
  llvm::SmallString<0> bitcode;
  if (parts > 1) {
    externalizeFunctions(*module);
    partOf = assignParts(*module, parts);
    llvm::raw_svector_ostream os(bitcode);
    llvm::WriteBitcodeToFile(*module, os);
    keepPart(*module, partOf, 0);
  }
  times.translateMs = millisecondsSince(start);
  times.parts = parts;

  Clock::time_point compileStart = Clock::now();
  std::vector<CompiledPart> compiled(parts);
  std::vector<std::thread> workers;
  for (unsigned part = 1; part < parts; ++part)
    workers.emplace_back(compileCopiedPart, llvm::StringRef(bitcode),
                         std::cref(partOf), part, std::cref(options),
                         std::ref(compiled[part]));
  compilePart(*module, options, compiled[0]);
  for (std::thread &worker : workers)
    worker.join();

  std::string optimizedIR;
  for (auto [index, part] : llvm::enumerate(compiled)) {
    if (part.error)
      return part.error;
    times.optimizeMs = std::max(times.optimizeMs, part.optimizeMs);
    if (parts > 1)
      optimizedIR += "; Part " + std::to_string(index + 1) + " of " +
                     std::to_string(parts) +
                     ", a module of its own, compiled on its own thread.\n";
    optimizedIR += part.optimizedIR;
  }
  if (options.dumpOptimized)
    options.dumpOptimized(optimizedIR);

  std::unique_ptr<JitCode> code(new JitCode);
  Expected<std::unique_ptr<llvm::orc::LLJIT>> jit =
      createJit(module->getDataLayout());
  if (!jit)
    return jit.error();
  code->jit = jit.take();
  for (CompiledPart &part : compiled)
    if (llvm::Error err = code->jit->addObjectFile(std::move(part.object)))
      return llvmError("adding machine code to the JIT failed", std::move(err));
  // Linking happens on this first lookup; calls never link.
  auto address = code->jit->lookup("_mlir_" + entry);
  if (!address)
    return llvmError("JIT lookup of '" + entry + "' failed",
                     address.takeError());
  code->packedEntry = address->toPtr<void (*)(void **)>();
  times.machineCodeMs = millisecondsSince(compileStart) - times.optimizeMs;
  return code;
}
