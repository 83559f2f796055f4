//===- GuardTest.cpp - Guarded calls and memory limits of the engine ------===//
//
// GuardedBuffer's canary frames catch a write just outside either end;
// guarded calls give the same results as unguarded ones and leave inputs
// alone; the memory limit turns a function or call that needs too much into
// an Error, after which the engine and the function still work.
//
//===----------------------------------------------------------------------===//

#include "Guard.h"

#include "graft/Engine/Engine.h"
#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cstring>
#include <string>

using namespace graft;

namespace {

TEST(GuardedBufferTest, DetectsWritesJustOutsideEitherEnd) {
  for (size_t bytes : {size_t(1), size_t(24), size_t(4096), size_t(100003)}) {
    GuardedBuffer buffer(bytes);
    ASSERT_NE(buffer.data(), nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer.data()) % 64, 0u);
    auto *data = static_cast<unsigned char *>(buffer.data());
    std::memset(data, 0xA5, bytes); // the canary's own first byte value
    EXPECT_EQ(buffer.damage(), "") << bytes;

    data[bytes] ^= 0xFF;
    EXPECT_EQ(buffer.damage(), "byte 1 past its end") << bytes;
    data[bytes] ^= 0xFF;
    data[bytes + 100] ^= 0x01;
    EXPECT_EQ(buffer.damage(), "byte 101 past its end") << bytes;
    data[bytes + 100] ^= 0x01;
    data[-1] ^= 0x80;
    EXPECT_EQ(buffer.damage(), "byte 1 before its start") << bytes;
    data[-1] ^= 0x80;
    data[-int(GuardedBuffer::kGuardBytes)] ^= 0x80;
    EXPECT_EQ(buffer.damage(),
              "byte " + std::to_string(GuardedBuffer::kGuardBytes) +
                  " before its start");
  }
}

const char *const kMatMulSource = R"mlir(
func.func @f(%a: tensor<300x200xf32>, %b: tensor<200x100xf32>) -> (tensor<300x100xf32>, tensor<f32>) {
  %p = graft.matmul %a, %b : (tensor<300x200xf32>, tensor<200x100xf32>) -> tensor<300x100xf32>
  %e = graft.exp %p : tensor<300x100xf32>
  %s = graft.sum %e {dims = array<i64>} : (tensor<300x100xf32>) -> tensor<f32>
  return %p, %s : tensor<300x100xf32>, tensor<f32>
}
)mlir";

TEST(GuardedCallTest, SameResultsAndInputsUntouched) {
  Engine engine;
  CompileOptions plain, guarded;
  guarded.guard = true;
  Expected<Function> f = engine.compile(kMatMulSource, plain);
  Expected<Function> g = engine.compile(kMatMulSource, guarded);
  ASSERT_TRUE(f && g);
  EXPECT_TRUE(g->compileStats().cacheHit); // the guard is not in the key
  Tensor a = Tensor::rand({300, 200}, 1), b = Tensor::rand({200, 100}, 2);
  Tensor aCopy = a.clone(), bCopy = b.clone();
  Expected<std::vector<Tensor>> want = (*f)({a, b});
  Expected<std::vector<Tensor>> got = (*g)({a, b});
  ASSERT_TRUE(want && got) << got.error().message();
  for (size_t i = 0; i < 2; ++i)
    EXPECT_EQ(std::memcmp((*want)[i].data(), (*got)[i].data(),
                          (*want)[i].nbytes()),
              0);
  EXPECT_EQ(std::memcmp(a.data(), aCopy.data(), a.nbytes()), 0);
  EXPECT_EQ(std::memcmp(b.data(), bCopy.data(), b.nbytes()), 0);
}

/// Restores the default memory limit after each test.
class MemoryLimitEngineTest : public ::testing::Test {
protected:
  void TearDown() override { setMemoryLimit(0); }
};

TEST_F(MemoryLimitEngineTest, CompileFailsWhenNothingCouldFit) {
  Engine engine;
  // Below the arguments and results alone.
  setMemoryLimit(400 << 10);
  CompileOptions options;
  options.useCache = false;
  Expected<Function> f = engine.compile(kMatMulSource, options);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message().find(
                "function 'f' would need "),
            std::string::npos);
  EXPECT_NE(f.error().message().find("(arguments 312.50 KiB, results 117.19 "
                                     "KiB, temporaries "),
            std::string::npos)
      << f.error().message();
  EXPECT_NE(f.error().message().find("above the memory limit of 400.00 KiB"),
            std::string::npos);

  // A failed compile leaves the engine usable.
  setMemoryLimit(0);
  Expected<Function> again = engine.compile(kMatMulSource, options);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE((*again)({Tensor::rand({300, 200}, 1), Tensor::rand({200, 100}, 2)}));
}

TEST_F(MemoryLimitEngineTest, CallFailsWhenItsTemporariesDoNotFit) {
  Engine engine;
  CompileOptions options;
  options.threads = 1;
  Expected<Function> f = engine.compile(kMatMulSource, options);
  ASSERT_TRUE(f) << f.error().message();
  Tensor a = Tensor::rand({300, 200}, 1), b = Tensor::rand({200, 100}, 2);
  Tensor p = Tensor::full({300, 100}, 7.0), s = Tensor::full({}, 7.0);
  // The tensors above are reserved already; leave no room for the
  // temporaries (the exp of the product, at least).
  setMemoryLimit(memoryInUse() + 1024);
  Error err = f->call({a, b}, {p, s});
  ASSERT_TRUE(err);
  EXPECT_NE(err.message().find("the temporaries of a call of 'f' would need"),
            std::string::npos)
      << err.message();
  // Nothing ran: the outputs are untouched.
  EXPECT_EQ(p.data<float>()[0], 7.0f);
  EXPECT_EQ(s.data<float>()[0], 7.0f);
  // With room again the same function works.
  setMemoryLimit(0);
  EXPECT_FALSE(f->call({a, b}, {p, s}));
  EXPECT_NE(p.data<float>()[0], 7.0f);
}

} // namespace
