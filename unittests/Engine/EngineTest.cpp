//===- EngineTest.cpp - Tests for graft::Engine and graft::Function -------===//
//
// This file tests the host API around compiled functions: signatures, the
// errors that Function::call / operator() return for bad arguments, the
// errors that Engine::compile returns for bad modules (and that the Engine
// keeps working afterwards), and that calls on Tensor::view buffers read and
// write the caller's memory in place.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <vector>

using namespace graft;

namespace {

// add(x, v) = x + v with v broadcast over the rows.
const char *const kAddSource = R"mlir(
func.func @add(%x: tensor<4x5xf32>, %v: tensor<5xf32>) -> tensor<4x5xf32> {
  %a = graft.add %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %a : tensor<4x5xf32>
}
)mlir";

// Two results, for checks on outputs that overlap each other.
const char *const kTwoResultsSource = R"mlir(
func.func @pair(%x: tensor<8xf64>, %y: tensor<8xf64>) -> (tensor<8xf64>, tensor<8xf64>) {
  %a = graft.add %x, %y : (tensor<8xf64>, tensor<8xf64>) -> tensor<8xf64>
  %m = graft.mul %x, %y : (tensor<8xf64>, tensor<8xf64>) -> tensor<8xf64>
  return %a, %m : tensor<8xf64>, tensor<8xf64>
}
)mlir";

Function compileOrDie(Engine &engine, const std::string &source,
                      const CompileOptions &options = {}) {
  Expected<Function> fn = engine.compile(source, options);
  if (!fn) {
    // An assertion cannot return from here; every caller needs the function.
    std::fprintf(stderr, "compile failed: %s\n%s\n",
                 fn.error().message().c_str(), source.c_str());
    std::abort();
  }
  return fn.take();
}

/// Deterministic values in [-1, 1) that are not a simple ramp.
template <typename T> std::vector<T> values(size_t n, uint64_t seed) {
  Tensor t = Tensor::rand({static_cast<int64_t>(n)}, seed, DTypeOf<T>::value);
  std::vector<T> out(t.data<T>(), t.data<T>() + n);
  for (T &x : out)
    x = x * T(2) - T(1);
  return out;
}

std::vector<float> addReference(const std::vector<float> &x,
                                const std::vector<float> &v) {
  std::vector<float> out(20);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j)
      out[i * 5 + j] = x[i * 5 + j] + v[j];
  return out;
}

/// `message` contains every string in `parts`.
::testing::AssertionResult mentions(const std::string &message,
                                    std::initializer_list<const char *> parts) {
  for (const char *part : parts)
    if (message.find(part) == std::string::npos)
      return ::testing::AssertionFailure()
             << "message \"" << message << "\" does not contain \"" << part
             << "\"";
  return ::testing::AssertionSuccess();
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

TEST(EngineTest, Signature) {
  Engine engine;
  Function fn = compileOrDie(engine, kAddSource);
  EXPECT_EQ(fn.name(), "add");
  ASSERT_EQ(fn.inputs().size(), 2u);
  EXPECT_EQ(fn.inputs()[0].shape, (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(fn.inputs()[0].dtype, DType::F32);
  EXPECT_EQ(fn.inputs()[1].shape, (std::vector<int64_t>{5}));
  EXPECT_EQ(fn.inputs()[0].str(), "tensor<4x5xf32>");
  EXPECT_EQ(fn.inputs()[1].str(), "tensor<5xf32>");
  ASSERT_EQ(fn.outputs().size(), 1u);
  EXPECT_EQ(fn.outputs()[0].str(), "tensor<4x5xf32>");

  Function pair = compileOrDie(engine, kTwoResultsSource);
  ASSERT_EQ(pair.outputs().size(), 2u);
  EXPECT_EQ(pair.outputs()[1].dtype, DType::F64);
  EXPECT_EQ(pair.outputs()[1].str(), "tensor<8xf64>");
  EXPECT_EQ((TensorSpec{{}, DType::F64}.str()), "tensor<f64>");
}

TEST(EngineTest, FunctionOutlivesEngineAndCopies) {
  std::optional<Function> copy;
  {
    Engine engine;
    Function fn = compileOrDie(engine, kAddSource);
    copy = fn;
  }
  std::vector<float> x = values<float>(20, 1), v = values<float>(5, 2);
  Expected<std::vector<Tensor>> out =
      (*copy)({Tensor::view(x.data(), {4, 5}, DType::F32),
               Tensor::view(v.data(), {5}, DType::F32)});
  ASSERT_TRUE(out) << out.error().message();
  std::vector<float> want = addReference(x, v);
  EXPECT_EQ(std::memcmp((*out)[0].data(), want.data(), 20 * sizeof(float)), 0);
}

//===----------------------------------------------------------------------===//
// Function::call and operator() errors
//===----------------------------------------------------------------------===//

class CallErrorTest : public ::testing::Test {
protected:
  void SetUp() override {
    x = Tensor::fromData(values<float>(20, 3), {4, 5});
    v = Tensor::fromData(values<float>(5, 4), {5});
    out = Tensor::full({4, 5}, 7.0);
  }

  /// Both entry points fail with the same message, and call() leaves the
  /// output untouched.
  std::string failure(const std::vector<Tensor> &inputs,
                      const std::vector<Tensor> &outputs) {
    Tensor before = out.clone();
    Error err = fn.call(inputs, outputs);
    EXPECT_TRUE(err) << "call() succeeded";
    EXPECT_EQ(std::memcmp(out.data(), before.data(), out.nbytes()), 0)
        << "a failed call wrote the output";
    return err.message();
  }
  std::string failure(const std::vector<Tensor> &inputs) {
    Expected<std::vector<Tensor>> result = fn(inputs);
    EXPECT_FALSE(result) << "operator() succeeded";
    return result ? std::string() : result.error().message();
  }

  Engine engine;
  Function fn = compileOrDie(engine, kAddSource);
  Tensor x, v, out;
};

TEST_F(CallErrorTest, ValidCallSucceeds) {
  Error err = fn.call({x, v}, {out});
  ASSERT_FALSE(err) << err.message();
  std::vector<float> xs(x.data<float>(), x.data<float>() + 20),
      vs(v.data<float>(), v.data<float>() + 5);
  std::vector<float> want = addReference(xs, vs);
  EXPECT_EQ(std::memcmp(out.data(), want.data(), 20 * sizeof(float)), 0);
}

TEST_F(CallErrorTest, WrongInputCount) {
  std::string message = failure({x});
  EXPECT_TRUE(mentions(message, {"'add'", "2 inputs", "got 1"}));
  EXPECT_EQ(failure({x}, {out}), message);
  EXPECT_TRUE(mentions(failure({x, v, v}), {"'add'", "2 inputs", "got 3"}));
  EXPECT_TRUE(mentions(failure({}), {"'add'", "2 inputs", "got 0"}));
}

TEST_F(CallErrorTest, WrongOutputCount) {
  EXPECT_TRUE(mentions(failure({x, v}, {}), {"'add'", "1 output", "got 0"}));
  Tensor other = Tensor::empty({4, 5});
  EXPECT_TRUE(
      mentions(failure({x, v}, {out, other}), {"'add'", "1 output", "got 2"}));
}

// A count mismatch lists the expected signature, so the caller can see what
// was expected.
TEST_F(CallErrorTest, WrongInputCountNamesExpectedTypes) {
  EXPECT_TRUE(
      mentions(failure({x}), {"'add'", "tensor<4x5xf32>", "tensor<5xf32>"}));
}

TEST_F(CallErrorTest, WrongShape) {
  Tensor shortV = Tensor::fromData(values<float>(4, 5), {4});
  std::string message = failure({x, shortV});
  EXPECT_TRUE(mentions(message,
                       {"'add'", "input 1", "tensor<5xf32>", "tensor<4xf32>"}));
  EXPECT_EQ(failure({x, shortV}, {out}), message);

  // Same element count, other rank: broadcastable, but not the signature.
  Tensor x3 = Tensor::fromData(values<float>(20, 6), {1, 4, 5});
  EXPECT_TRUE(mentions(failure({x3, v}), {"'add'", "input 0", "tensor<4x5xf32>",
                                          "tensor<1x4x5xf32>"}));
  // Transposed.
  Tensor xt = Tensor::fromData(values<float>(20, 7), {5, 4});
  EXPECT_TRUE(
      mentions(failure({xt, v}), {"tensor<4x5xf32>", "tensor<5x4xf32>"}));

  Tensor wrongOut = Tensor::empty({5, 4});
  EXPECT_TRUE(
      mentions(failure({x, v}, {wrongOut}),
               {"'add'", "output 0", "tensor<4x5xf32>", "tensor<5x4xf32>"}));
}

TEST_F(CallErrorTest, WrongDType) {
  Tensor x64 = Tensor::rand({4, 5}, 8, DType::F64);
  std::string message = failure({x64, v});
  EXPECT_TRUE(mentions(
      message, {"'add'", "input 0", "tensor<4x5xf32>", "tensor<4x5xf64>"}));
  EXPECT_EQ(failure({x64, v}, {out}), message);

  Tensor i64 = Tensor::zeros({5}, DType::I64);
  EXPECT_TRUE(mentions(failure({x, i64}),
                       {"input 1", "tensor<5xf32>", "tensor<5xi64>"}));

  Tensor out64 = Tensor::empty({4, 5}, DType::F64);
  EXPECT_TRUE(
      mentions(failure({x, v}, {out64}),
               {"'add'", "output 0", "tensor<4x5xf32>", "tensor<4x5xf64>"}));
}

TEST_F(CallErrorTest, InvalidTensor) {
  std::string message = failure({Tensor(), v});
  EXPECT_TRUE(mentions(message, {"'add'", "input 0", "tensor<4x5xf32>"}));
  EXPECT_EQ(failure({Tensor(), v}, {out}), message);
  EXPECT_TRUE(mentions(failure({x, Tensor()}), {"input 1", "tensor<5xf32>"}));
  EXPECT_TRUE(mentions(failure({x, v}, {Tensor()}),
                       {"'add'", "output 0", "tensor<4x5xf32>"}));
}

TEST_F(CallErrorTest, OutputOverlapsInput) {
  // The input itself as the output.
  Tensor xCopy = x.clone();
  Error err = fn.call({x, v}, {x});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'add'", "output 0", "input 0"}));
  EXPECT_EQ(std::memcmp(x.data(), xCopy.data(), x.nbytes()), 0);

  // An output that shares only the last element of an input. The buffer is
  // large enough for every view below, so a wrongly accepted call cannot
  // write out of bounds.
  std::vector<float> buffer(48, 0.0f);
  Tensor xView = Tensor::view(buffer.data(), {4, 5}, DType::F32);
  Tensor tail = Tensor::view(buffer.data() + 19, {4, 5}, DType::F32);
  err = fn.call({xView, v}, {tail});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'add'", "output 0", "input 0"}));

  // The broadcast operand inside the output.
  Tensor vInside = Tensor::view(buffer.data() + 2, {5}, DType::F32);
  Tensor whole = Tensor::view(buffer.data(), {4, 5}, DType::F32);
  err = fn.call({x, vInside}, {whole});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'add'", "output 0", "input 1"}));

  // Adjacent views of one allocation do not overlap.
  Tensor head = Tensor::view(buffer.data(), {5}, DType::F32);
  Tensor rest = Tensor::view(buffer.data() + 4, {4, 5}, DType::F32);
  Tensor after = Tensor::view(buffer.data() + 5, {4, 5}, DType::F32);
  err = fn.call({x, head}, {rest});
  ASSERT_TRUE(err) << "output starts on the last input element";
  err = fn.call({x, head}, {after});
  EXPECT_FALSE(err) << err.message();
}

// An overlap names the function, both indices and their types.
TEST_F(CallErrorTest, OutputOverlapsInputNamesExpectedType) {
  Error err = fn.call({x, v}, {x});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'add'", "tensor<4x5xf32>"}));
}

TEST(CallOverlapTest, OutputsOverlapEachOther) {
  Engine engine;
  Function fn = compileOrDie(engine, kTwoResultsSource);
  Tensor x = Tensor::rand({8}, 1, DType::F64),
         y = Tensor::rand({8}, 2, DType::F64);
  std::vector<double> buffer(12, -1.0);
  Tensor first = Tensor::view(buffer.data(), {8}, DType::F64);
  Tensor second = Tensor::view(buffer.data() + 4, {8}, DType::F64);
  Error err = fn.call({x, y}, {first, second});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'pair'", "output 1", "output 0"}));
  for (double value : buffer)
    EXPECT_EQ(value, -1.0) << "a failed call wrote an output";
  // The same tensor twice.
  err = fn.call({x, y}, {first, first});
  ASSERT_TRUE(err);
  EXPECT_TRUE(mentions(err.message(), {"'pair'", "output 1", "output 0"}));
}

TEST(CallOverlapTest, InputsMayAlias) {
  Engine engine;
  Function fn = compileOrDie(engine, kTwoResultsSource);
  Tensor x = Tensor::fromData(values<double>(8, 3), {8});
  Tensor xCopy = x.clone();
  Expected<std::vector<Tensor>> out = fn({x, x});
  ASSERT_TRUE(out) << out.error().message();
  for (int64_t i = 0; i < 8; ++i) {
    double u = xCopy.data<double>()[i];
    EXPECT_EQ((*out)[0].data<double>()[i], u + u);
    EXPECT_EQ((*out)[1].data<double>()[i], u * u);
  }
  EXPECT_EQ(std::memcmp(x.data(), xCopy.data(), x.nbytes()), 0);
}

//===----------------------------------------------------------------------===//
// Engine::compile errors
//===----------------------------------------------------------------------===//

/// After any failure the same Engine still compiles and runs a function.
void expectEngineStillWorks(Engine &engine) {
  Expected<Function> fn = engine.compile(kAddSource);
  ASSERT_TRUE(fn) << fn.error().message();
  std::vector<float> x = values<float>(20, 10), v = values<float>(5, 11);
  std::vector<float> out(20, std::numeric_limits<float>::quiet_NaN());
  Error err = fn->call({Tensor::view(x.data(), {4, 5}, DType::F32),
                        Tensor::view(v.data(), {5}, DType::F32)},
                       {Tensor::view(out.data(), {4, 5}, DType::F32)});
  ASSERT_FALSE(err) << err.message();
  std::vector<float> want = addReference(x, v);
  EXPECT_EQ(std::memcmp(out.data(), want.data(), 20 * sizeof(float)), 0);
}

TEST(CompileErrorTest, MalformedIRNamesLocation) {
  // Line 3, column 8 holds the unknown op.
  const char *source = "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
                       "  // a comment\n"
                       "  %a = graft.bogus %x : tensor<4xf32>\n"
                       "  return %a : tensor<4xf32>\n"
                       "}\n";
  Engine engine;
  Expected<Function> fn = engine.compile(source);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(
      mentions(fn.error().message(), {"<source>:3:8: error:", "graft.bogus"}));

  fn = engine.compile(source, {}, "model.mlir");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"model.mlir:3:8: error:"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, SyntaxErrors) {
  Engine engine;
  const char *sources[] = {
      // Unterminated type.
      "func.func @f(%x: tensor<4xf32) -> tensor<4xf32> {\n"
      "  return %x : tensor<4xf32>\n}\n",
      // Missing closing brace.
      "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
      "  return %x : tensor<4xf32>\n",
      // Undefined value.
      "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
      "  return %y : tensor<4xf32>\n}\n",
      // Not MLIR at all.
      "this is not mlir",
  };
  std::regex location("broken\\.mlir:[0-9]+:[0-9]+: error: ");
  for (const char *source : sources) {
    SCOPED_TRACE(source);
    Expected<Function> fn = engine.compile(source, {}, "broken.mlir");
    ASSERT_FALSE(fn);
    EXPECT_TRUE(std::regex_search(fn.error().message(), location))
        << fn.error().message();
  }
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, ShapesThatDoNotBroadcast) {
  // The op is at line 2, column 8.
  const char *source =
      R"mlir(func.func @f(%x: tensor<4x5xf32>, %y: tensor<3xf32>) -> tensor<4x5xf32> {
  %z = graft.add %x, %y : (tensor<4x5xf32>, tensor<3xf32>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}
)mlir";
  Engine engine;
  Expected<Function> fn = engine.compile(source, {}, "bcast.mlir");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"bcast.mlir:2:8: error:",
                                              "graft.add", "[4, 5]", "[3]"}));
  expectEngineStillWorks(engine);

  const char *mulSource =
      R"mlir(func.func @f(%x: tensor<2x3xf64>, %y: tensor<3x2xf64>) -> tensor<2x3xf64> {
  %z = graft.mul %x, %y : (tensor<2x3xf64>, tensor<3x2xf64>) -> tensor<2x3xf64>
  return %z : tensor<2x3xf64>
}
)mlir";
  fn = engine.compile(mulSource);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(
      mentions(fn.error().message(),
               {"<source>:2:8: error:", "graft.mul", "[2, 3]", "[3, 2]"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, MatMulShapeMismatch) {
  const char *source =
      R"mlir(func.func @f(%x: tensor<4x3xf32>, %y: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %z = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}
)mlir";
  Engine engine;
  Expected<Function> fn = engine.compile(source);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(
      mentions(fn.error().message(),
               {"<source>:2:8: error:", "graft.matmul", "[4, 3]", "[4, 5]"}));
  expectEngineStillWorks(engine);
}

const char *const kTwoFunctionsSource = R"mlir(
func.func @first(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %a = graft.add %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %a : tensor<3xf32>
}
func.func @second(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %m = graft.mul %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %m : tensor<3xf32>
}
func.func private @helper(%x: tensor<3xf32>) -> tensor<3xf32> {
  %m = graft.mul %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %m : tensor<3xf32>
}
)mlir";

TEST(CompileErrorTest, UnknownEntry) {
  Engine engine;
  CompileOptions options;
  options.entry = "third";
  Expected<Function> fn = engine.compile(kTwoFunctionsSource, options);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"'third'"}));

  options.entry = "add";
  fn = engine.compile(kAddSource, options);
  EXPECT_TRUE(fn) << fn.error().message();
  options.entry = "ad";
  fn = engine.compile(kAddSource, options);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"'ad'"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, SeveralPublicFunctionsNeedAnEntry) {
  Engine engine;
  Expected<Function> fn = engine.compile(kTwoFunctionsSource);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"first", "second", "entry"}));
  EXPECT_FALSE(mentions(fn.error().message(), {"helper"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, EntryPicksTheNamedFunction) {
  Engine engine;
  Tensor x = Tensor::fromData(std::vector<float>{1.5f, -2.0f, 3.0f}, {3});
  Tensor y = Tensor::fromData(std::vector<float>{4.0f, 0.5f, -1.0f}, {3});
  const float sums[] = {5.5f, -1.5f, 2.0f}, products[] = {6.0f, -1.0f, -3.0f},
              squares[] = {2.25f, 4.0f, 9.0f};
  struct Case {
    const char *entry;
    std::vector<Tensor> inputs;
    const float *want;
  };
  for (const Case &c :
       {Case{"first", {x, y}, sums}, Case{"second", {x, y}, products},
        Case{"helper", {x}, squares}}) {
    SCOPED_TRACE(c.entry);
    CompileOptions options;
    options.entry = c.entry;
    Expected<Function> fn = engine.compile(kTwoFunctionsSource, options);
    ASSERT_TRUE(fn) << fn.error().message();
    EXPECT_EQ(fn->name(), c.entry);
    Expected<std::vector<Tensor>> out = (*fn)(c.inputs);
    ASSERT_TRUE(out) << out.error().message();
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ((*out)[0].data<float>()[i], c.want[i]) << "element " << i;
  }
}

TEST(CompileErrorTest, NoPublicFunction) {
  Engine engine;
  Expected<Function> fn = engine.compile("");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"no public function"}));
  fn = engine.compile("func.func private @g(%x: tensor<3xf32>) -> "
                      "tensor<3xf32> {\n  return %x : tensor<3xf32>\n}\n");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"no public function"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, NonStaticSignature) {
  Engine engine;
  Expected<Function> fn =
      engine.compile("func.func @dyn(%x: tensor<?x4xf32>) -> tensor<?x4xf32> "
                     "{\n  return %x : tensor<?x4xf32>\n}\n");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(),
                       {"'dyn'", "argument 0", "tensor<?x4xf32>"}));
  fn = engine.compile("func.func @scalar(%x: f32) -> f32 {\n"
                      "  return %x : f32\n}\n");
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {"'scalar'", "argument 0"}));
  expectEngineStillWorks(engine);
}

TEST(CompileErrorTest, CompileFileNamesPath) {
  Engine engine;
  std::string missing = ::testing::TempDir() + "graft-engine-no-such-file.mlir";
  Expected<Function> fn = engine.compileFile(missing);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(), {missing.c_str()}));

  std::string path = ::testing::TempDir() + "graft-engine-bad.mlir";
  FILE *file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("func.func @f() -> tensor<2xf32> {\n"
             "  %e = graft.eye : tensor<2xf32>\n"
             "  return %e : tensor<2xf32>\n}\n",
             file);
  std::fclose(file);
  fn = engine.compileFile(path);
  std::remove(path.c_str());
  ASSERT_FALSE(fn);
  EXPECT_TRUE(mentions(fn.error().message(),
                       {(path + ":2:8: error:").c_str(), "graft.eye"}));
  expectEngineStillWorks(engine);
}

//===----------------------------------------------------------------------===//
// Zero-copy calls on views
//===----------------------------------------------------------------------===//

/// Bits of a float vector, for "unchanged" checks that also see NaN and -0.
template <typename T>
bool sameBits(const std::vector<T> &a, const std::vector<T> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

TEST(ZeroCopyTest, CallWritesCallerBufferAndKeepsInputs) {
  Engine engine;
  Function fn = compileOrDie(engine, kAddSource);
  std::vector<float> x = values<float>(20, 20), v = values<float>(5, 21);
  const std::vector<float> xBefore = x, vBefore = v;
  std::vector<float> out(20, std::numeric_limits<float>::quiet_NaN());
  Tensor outView = Tensor::view(out.data(), {4, 5}, DType::F32);
  Error err = fn.call({Tensor::view(x.data(), {4, 5}, DType::F32),
                       Tensor::view(v.data(), {5}, DType::F32)},
                      {outView});
  ASSERT_FALSE(err) << err.message();
  EXPECT_EQ(outView.data(), out.data());
  EXPECT_TRUE(sameBits(out, addReference(xBefore, vBefore)));
  EXPECT_TRUE(sameBits(x, xBefore));
  EXPECT_TRUE(sameBits(v, vBefore));
}

TEST(ZeroCopyTest, OperatorDoesNotTouchInputViews) {
  Engine engine;
  Function fn = compileOrDie(engine, kAddSource);
  std::vector<float> x = values<float>(20, 22), v = values<float>(5, 23);
  const std::vector<float> xBefore = x, vBefore = v;
  Expected<std::vector<Tensor>> out =
      fn({Tensor::view(x.data(), {4, 5}, DType::F32),
          Tensor::view(v.data(), {5}, DType::F32)});
  ASSERT_TRUE(out) << out.error().message();
  const Tensor &result = (*out)[0];
  EXPECT_FALSE(result.isView());
  EXPECT_NE(result.data(), static_cast<const void *>(x.data()));
  std::vector<float> got(result.data<float>(), result.data<float>() + 20);
  EXPECT_TRUE(sameBits(got, addReference(xBefore, vBefore)));
  EXPECT_TRUE(sameBits(x, xBefore));
  EXPECT_TRUE(sameBits(v, vBefore));
}

// Views need not be 64-byte aligned: element-aligned buffers at odd offsets
// must work for the vectorized elementwise code and for matmul, and a second
// call into the same output must overwrite rather than accumulate.
TEST(ZeroCopyTest, UnalignedViewsMatMulAndRepeatedCalls) {
  const int64_t m = 33, k = 17, n = 65;
  std::string source =
      "func.func @mm(%a: tensor<33x17xf32>, %b: tensor<17x65xf32>, "
      "%c: tensor<65xf32>) -> (tensor<33x65xf32>, tensor<33x65xf32>) {\n"
      "  %p = graft.matmul %a, %b : (tensor<33x17xf32>, tensor<17x65xf32>) -> "
      "tensor<33x65xf32>\n"
      "  %s = graft.add %p, %c : (tensor<33x65xf32>, tensor<65xf32>) -> "
      "tensor<33x65xf32>\n"
      "  return %p, %s : tensor<33x65xf32>, tensor<33x65xf32>\n}\n";
  Engine engine;
  Function fn = compileOrDie(engine, source);

  // One allocation, every tensor at an odd element offset.
  std::vector<float> arena(1 + m * k + 1 + k * n + 1 + n + 1 + 2 * m * n + 3,
                           std::numeric_limits<float>::quiet_NaN());
  float *a = arena.data() + 1;
  float *b = a + m * k + 1;
  float *c = b + k * n + 1;
  float *p = c + n + 1;
  float *s = p + m * n + 1;
  std::vector<float> av = values<float>(m * k, 30),
                     bv = values<float>(k * n, 31), cv = values<float>(n, 32);
  std::copy(av.begin(), av.end(), a);
  std::copy(bv.begin(), bv.end(), b);
  std::copy(cv.begin(), cv.end(), c);
  std::vector<Tensor> inputs = {Tensor::view(a, {m, k}, DType::F32),
                                Tensor::view(b, {k, n}, DType::F32),
                                Tensor::view(c, {n}, DType::F32)};
  std::vector<Tensor> outputs = {Tensor::view(p, {m, n}, DType::F32),
                                 Tensor::view(s, {m, n}, DType::F32)};

  // Reference and the dot-product error bound (see OpNumericsTest.cpp).
  std::vector<double> want(m * n, 0.0), magnitude(m * n, 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t q = 0; q < k; ++q)
      for (int64_t j = 0; j < n; ++j) {
        double term = static_cast<double>(av[i * k + q]) * bv[q * n + j];
        want[i * n + j] += term;
        magnitude[i * n + j] += std::fabs(term);
      }
  const double u = std::ldexp(1.0, -24);
  const double bound = (k + 1) * u / (1 - (k + 1) * u);

  std::vector<float> firstP;
  for (int call = 0; call < 2; ++call) {
    SCOPED_TRACE("call " + std::to_string(call));
    Error err = fn.call(inputs, outputs);
    ASSERT_FALSE(err) << err.message();
    for (int64_t i = 0; i < m * n; ++i) {
      ASSERT_NEAR(p[i], want[i], bound * magnitude[i]) << "matmul at " << i;
      // The add is correctly rounded from the matmul result it read.
      ASSERT_EQ(s[i], p[i] + cv[i % n]) << "add at " << i;
    }
    if (call == 0)
      firstP.assign(p, p + m * n);
    else
      EXPECT_TRUE(sameBits(std::vector<float>(p, p + m * n), firstP));
  }
  // Inputs unchanged, and the gaps between the tensors were not written.
  EXPECT_TRUE(sameBits(std::vector<float>(a, a + m * k), av));
  EXPECT_TRUE(sameBits(std::vector<float>(b, b + k * n), bv));
  EXPECT_TRUE(sameBits(std::vector<float>(c, c + n), cv));
  for (float *gap : {arena.data(), a + m * k, b + k * n, c + n, p + m * n})
    EXPECT_TRUE(std::isnan(*gap))
        << "wrote outside the views at offset " << gap - arena.data();
  for (float *tail = s + m * n; tail < arena.data() + arena.size(); ++tail)
    EXPECT_TRUE(std::isnan(*tail)) << "wrote past the last view";
}

// An output larger than the last-level cache is written with non-temporal
// stores that assume the 64-byte alignment the engine guarantees
// (graft-streaming-stores). An aligned output gets them directly; a view at
// an odd offset is computed in an aligned copy and copied back, without
// touching the memory around it.
TEST(ZeroCopyTest, LargeOutputAlignedOrNot) {
  const int64_t rows = 4096, cols = 4096, n = rows * cols; // 64 MiB
  std::string type = "tensor<4096x4096xf32>";
  std::string source = "func.func @twice(%x: " + type + ") -> " + type +
                       " {\n  %y = graft.add %x, %x : (" + type + ", " + type +
                       ") -> " + type + "\n  return %y : " + type + "\n}\n";
  Engine engine;
  Function fn = compileOrDie(engine, source);
  Tensor x = Tensor::rand({rows, cols}, 40, DType::F32);
  const float *xs = x.data<float>();

  Tensor aligned = Tensor::empty({rows, cols}, DType::F32);
  std::vector<float> arena(n + 2, std::numeric_limits<float>::quiet_NaN());
  Tensor unaligned = Tensor::view(arena.data() + 1, {rows, cols}, DType::F32);
  for (const Tensor &out : {aligned, unaligned}) {
    SCOPED_TRACE(out.isView() ? "unaligned view" : "aligned tensor");
    Error err = fn.call({x}, {out});
    ASSERT_FALSE(err) << err.message();
    const float *ys = out.data<float>();
    int64_t wrong = 0;
    for (int64_t i = 0; i < n; ++i)
      wrong += ys[i] != xs[i] + xs[i];
    EXPECT_EQ(wrong, 0) << "of " << n << " elements";
  }
  EXPECT_TRUE(std::isnan(arena.front()));
  EXPECT_TRUE(std::isnan(arena.back()));
}

} // namespace
