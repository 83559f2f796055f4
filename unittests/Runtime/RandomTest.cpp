//===- RandomTest.cpp - Tests for the torch-compatible random fills -------===//
//
// This file checks fillRand against values printed by PyTorch and against
// an independent transcription of the algorithm, and checks that fillRandn
// is a standard normal that tracks torch.randn.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Random.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace graft;

namespace {

std::string hexBytes(const void *data, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  const auto *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

TEST(RandomTest, Seed0Float32MatchesTorch) {
  // torch.manual_seed(0); torch.rand(3, 3)
  const double expected[] = {0.4963, 0.7682, 0.0885, 0.1320, 0.3074,
                             0.6341, 0.4901, 0.8964, 0.4556};
  float out[9];
  fillRand(out, 9, 0);
  for (int i = 0; i < 9; ++i)
    EXPECT_NEAR(out[i], expected[i], 5e-5) << "element " << i;
  EXPECT_EQ(hexBytes(out, 12), "5815fe3e2faa443fa833b53d");
}

TEST(RandomTest, Seed42Float32MatchesTorch) {
  // torch.manual_seed(42); torch.rand(20)[:4]
  float out[20];
  fillRand(out, 20, 42);
  EXPECT_NEAR(out[0], 0.8823, 5e-5);
  EXPECT_NEAR(out[1], 0.9150, 5e-5);
  EXPECT_NEAR(out[2], 0.3829, 5e-5);
  EXPECT_NEAR(out[3], 0.9593, 5e-5);
}

TEST(RandomTest, TensorRandIsRowMajorFill) {
  Tensor t = Tensor::rand({3, 3}, 0);
  EXPECT_EQ(t.dtype(), DType::F32);
  EXPECT_EQ(hexBytes(t.data(), 12), "5815fe3e2faa443fa833b53d");
  EXPECT_NEAR(t.at({2, 1}), 0.8964, 5e-5);
}

TEST(RandomTest, Float32IsIndependentTranscription) {
  std::mt19937 engine(1234);
  std::vector<float> out(1000);
  fillRand(out.data(), 1000, 1234);
  for (int i = 0; i < 1000; ++i) {
    uint32_t u = engine();
    float expected = static_cast<float>(u & 0xFFFFFF) / 16777216.0f;
    ASSERT_EQ(out[i], expected) << "element " << i;
  }
}

TEST(RandomTest, Float64IsIndependentTranscription) {
  std::mt19937 engine(99);
  std::vector<double> out(1000);
  fillRand(out.data(), 1000, 99);
  for (int i = 0; i < 1000; ++i) {
    uint64_t first = engine();
    uint64_t second = engine();
    uint64_t x = (first << 32) | second;
    double expected =
        static_cast<double>(x & ((uint64_t(1) << 53) - 1)) / 9007199254740992.0;
    ASSERT_EQ(out[i], expected) << "element " << i;
  }
}

TEST(RandomTest, Float64Seed0MatchesTorch) {
  // torch.manual_seed(0); torch.rand(3, dtype=torch.float64).tolist(),
  // as float.hex() under PyTorch 1.13.1 (Debian python3-torch).
  const double expected[] = {0x1.f0aac97c4aa2fp-1, 0x1.6a675d821ccc0p-1,
                             0x1.d6687b744a5f6p-2};
  double out[3];
  fillRand(out, 3, 0);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(out[i], expected[i]) << "element " << i;
}

TEST(RandomTest, Float64Properties) {
  std::vector<double> out(100000);
  fillRand(out.data(), static_cast<int64_t>(out.size()), 5);
  double sum = 0;
  for (double v : out) {
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
    // A multiple of 2^-53.
    double scaled = v * 9007199254740992.0;
    ASSERT_EQ(scaled, std::floor(scaled));
    sum += v;
  }
  EXPECT_NEAR(sum / out.size(), 0.5, 0.01);
}

TEST(RandomTest, SeedUsesLow32Bits) {
  // torch.manual_seed(2**32 + 5) and torch.manual_seed(5) agree.
  float a[4], b[4];
  fillRand(a, 4, (uint64_t(1) << 32) + 5);
  fillRand(b, 4, 5);
  EXPECT_EQ(std::memcmp(a, b, sizeof(a)), 0);
}

TEST(RandomTest, FillIsAPrefixOfLongerFill) {
  std::vector<float> shortFill(10), longFill(100);
  fillRand(shortFill.data(), 10, 3);
  fillRand(longFill.data(), 100, 3);
  EXPECT_EQ(std::memcmp(shortFill.data(), longFill.data(), 10 * sizeof(float)),
            0);
}

// torch.manual_seed(0); torch.randn(n, dtype=torch.float64).tolist() under
// PyTorch 1.13.1 (Debian). n < 16 uses the pairwise serial path, n >= 16 the
// blocked path, and n % 16 != 0 recomputes the last 16.
TEST(RandomTest, RandnFloat64TracksTorch) {
  struct Case {
    int64_t n;
    std::vector<double> expected;
  };
  const Case cases[] = {
      {1, {1.5409961082440433}},
      {5,
       {1.5409961082440433, -0.2934289057609464, -2.1787893820745574,
        0.5684312772806678, -1.084522342424021}},
      {16,
       {-2.310411800234176, -0.3732508612577643, -1.0608166785462863,
        0.9995093547811761, -0.8840250045832653, -1.2755469302148053,
        -0.623224579866079, -0.8664416019125772, -1.2956271403277857,
        1.52363162310635, 0.3236605664983738, 2.0177260314861085,
        1.1357423400213507, -1.226881339001083, 0.07138847120511693,
        0.3380174030507378}},
      {20, {-2.310411800234176,  -0.3732508612577643,   -1.0608166785462863,
            0.9995093547811761,  -0.019964750907762653, 0.2102998901016947,
            0.17718935139366584, -0.830510051008449,    0.23871805816817063,
            0.7335283685272841,  -1.3218818291421377,   1.3148113651971234,
            -0.6870036940435463, 1.4880743158106724,    -0.4484158047114511,
            -0.8910030351707375, 0.6748575435940039,    1.0468653769814655,
            0.15429517864658948, -0.7498915228391941}},
  };
  for (const Case &c : cases) {
    std::vector<double> out(c.n);
    fillRandn(out.data(), c.n, 0);
    for (int64_t i = 0; i < c.n; ++i)
      EXPECT_NEAR(out[i], c.expected[i], 1e-12) << "n=" << c.n << " i=" << i;
  }
}

TEST(RandomTest, RandnFloat32TracksTorch) {
  // torch.manual_seed(0); torch.randn(n) for n = 5 and 16. PyTorch's
  // float32 path for n >= 16 uses vectorized approximations of log/sin/cos,
  // so agreement there is close but not bit-exact.
  const float small[] = {1.5409960746765137f, -0.293428897857666f,
                         -2.1787893772125244f, 0.5684312582015991f,
                         -1.0845223665237427f};
  float out5[5];
  fillRandn(out5, 5, 0);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(out5[i], small[i]) << "i=" << i;

  const float block[] = {
      -1.1258398294448853f,  -1.152360200881958f,  -0.2505785822868347f,
      -0.4338788092136383f,  0.8487103581428528f,  0.6920091509819031f,
      -0.31601276993751526f, -2.1152193546295166f, 0.32227492332458496f,
      -1.2633347511291504f,  0.34998318552970886f, 0.30813392996788025f,
      0.11984150856733322f,  1.237657904624939f,   1.1167771816253662f,
      -0.2472781538963318f};
  float out16[16];
  fillRandn(out16, 16, 0);
  for (int i = 0; i < 16; ++i)
    EXPECT_NEAR(out16[i], block[i], 1e-5) << "i=" << i;
}

TEST(RandomTest, RandnIsStandardNormal) {
  for (int64_t n : {int64_t(100000), int64_t(100003)}) {
    std::vector<double> out(n);
    fillRandn(out.data(), n, 7);
    double sum = 0, sumSq = 0;
    int64_t within1 = 0;
    for (double v : out) {
      ASSERT_TRUE(std::isfinite(v));
      sum += v;
      sumSq += v * v;
      within1 += std::fabs(v) < 1.0;
    }
    double mean = sum / n;
    double var = sumSq / n - mean * mean;
    EXPECT_NEAR(mean, 0.0, 0.02);
    EXPECT_NEAR(var, 1.0, 0.02);
    // P(|Z| < 1) = 0.6827.
    EXPECT_NEAR(double(within1) / n, 0.6827, 0.01);
  }
}

TEST(RandomTest, RandnFloat32IsFinite) {
  std::vector<float> out(4096 + 7);
  fillRandn(out.data(), static_cast<int64_t>(out.size()), 11);
  for (float v : out)
    ASSERT_TRUE(std::isfinite(v));
  Tensor t = Tensor::randn({3, 5}, 11, DType::F64);
  EXPECT_EQ(t.numel(), 15);
}

// torch.manual_seed(s); a = torch.rand(2, 3); b = torch.rand(4) continues
// one stream, so a and b together equal the first 10 values of one fill;
// a mixed f32/f64 sequence continues it too (an f64 takes two draws).
TEST(RandomTest, SequenceContinuesOneStream) {
  std::vector<Tensor> tensors = {Tensor::empty({2, 3}), Tensor::empty({4})};
  fillRandSequence(tensors, 5);
  std::vector<float> expected(10);
  fillRand(expected.data(), 10, 5);
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(tensors[0].data<float>()[i], expected[i]);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_EQ(tensors[1].data<float>()[i], expected[6 + i]);

  std::vector<Tensor> mixed = {Tensor::empty({1}),
                               Tensor::empty({1}, DType::F64)};
  fillRandSequence(mixed, 5);
  std::mt19937 engine(5);
  uint32_t first = engine();
  EXPECT_EQ(mixed[0].data<float>()[0], (first & 0xFFFFFF) * 0x1p-24f);
  uint64_t hi = engine(), lo = engine();
  uint64_t bits = ((hi << 32) | lo) & ((uint64_t(1) << 53) - 1);
  EXPECT_EQ(mixed[1].data<double>()[0], bits * 0x1p-53);
}

} // namespace
