//===- MemoryLimitTest.cpp - The process-wide memory budget ---------------===//

#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Tensor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace graft;

namespace {

/// Sets a limit of `headroom` bytes above what is in use now, and restores
/// the default at the end of the test.
class MemoryLimitTest : public ::testing::Test {
protected:
  void limitTo(uint64_t headroom) { setMemoryLimit(memoryInUse() + headroom); }
  void TearDown() override { setMemoryLimit(0); }
};

TEST(ByteSizeTest, Parses) {
  struct Case {
    const char *text;
    uint64_t bytes;
  } cases[] = {{"4096", 4096},        {"10B", 10},
               {"64K", 64 << 10},     {"64KiB", 64 << 10},
               {"512M", 512 << 20},   {"512MB", 512 << 20},
               {"2G", uint64_t(2) << 30}, {"1.5GiB", uint64_t(3) << 29},
               {"1T", uint64_t(1) << 40}};
  for (const Case &c : cases) {
    Expected<uint64_t> bytes = parseByteSize(c.text);
    ASSERT_TRUE(bytes) << c.text << ": " << bytes.error().message();
    EXPECT_EQ(*bytes, c.bytes) << c.text;
  }
  for (const char *text : {"", "abc", "-1", "5X", "12 M", "1e30T", "nan"}) {
    Expected<uint64_t> bytes = parseByteSize(text);
    ASSERT_FALSE(bytes) << text;
    EXPECT_NE(bytes.error().message().find("invalid size '" +
                                           std::string(text) + "'"),
              std::string::npos);
  }
}

TEST(ByteSizeTest, Formats) {
  EXPECT_EQ(formatBytes(0), "0 B");
  EXPECT_EQ(formatBytes(1023), "1023 B");
  EXPECT_EQ(formatBytes(1536), "1.50 KiB");
  EXPECT_EQ(formatBytes(uint64_t(3) << 30), "3.00 GiB");
  EXPECT_EQ(formatBytes(UINT64_MAX), "16.00 EiB");
}

TEST_F(MemoryLimitTest, DefaultIsThePhysicalMemory) {
  setMemoryLimit(0);
  EXPECT_GT(memoryLimit(), uint64_t(256) << 20);
}

TEST_F(MemoryLimitTest, ReservationsStayWithinTheLimit) {
  limitTo(1000);
  uint64_t before = memoryInUse();
  Expected<MemoryReservation> first = reserveMemory(600, "first");
  ASSERT_TRUE(first);
  EXPECT_EQ(memoryInUse(), before + 600);
  Expected<MemoryReservation> second = reserveMemory(600, "the second");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message(),
            "the second would need 600 B, above the memory limit of " +
                formatBytes(memoryLimit()) + " (" + formatBytes(before + 600) +
                " in use)");
  {
    MemoryReservation moved = first.take();
    EXPECT_EQ(moved.bytes(), 600u);
  } // released here
  EXPECT_EQ(memoryInUse(), before);
  EXPECT_TRUE(reserveMemory(600, "the second"));
  EXPECT_FALSE(reserveMemory(UINT64_MAX, "everything"));
}

TEST_F(MemoryLimitTest, OwningTensorsReserveTheirBytes) {
  uint64_t before = memoryInUse();
  {
    Tensor t = Tensor::zeros({256, 256});
    EXPECT_EQ(memoryInUse(), before + 256 * 256 * 4);
    Tensor copy = t; // shares the buffer and the reservation
    EXPECT_EQ(memoryInUse(), before + 256 * 256 * 4);
    float data[4];
    Tensor view = Tensor::view(data, {4}, DType::F32); // caller's memory
    EXPECT_EQ(memoryInUse(), before + 256 * 256 * 4);
  }
  EXPECT_EQ(memoryInUse(), before);

  limitTo(1 << 20);
  Expected<Tensor> big = Tensor::tryEmpty({1024, 1024}, DType::F64);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message().find(
                "a tensor of shape [1024, 1024] (f64) would need 8.00 MiB, "
                "above the memory limit of"),
            std::string::npos)
      << big.error().message();
  EXPECT_TRUE(Tensor::tryEmpty({256, 256}, DType::F32));
}

TEST_F(MemoryLimitTest, ConcurrentReservationsNeverPassTheLimit) {
  // Room for two reservations of 100 bytes at a time.
  limitTo(250);
  std::atomic<int> live{0}, mostLive{0}, granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        Expected<MemoryReservation> r = reserveMemory(100, "a block");
        if (!r)
          continue;
        ++granted;
        int now = ++live;
        int seen = mostLive.load();
        while (now > seen && !mostLive.compare_exchange_weak(seen, now)) {
        }
        --live;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_LE(mostLive.load(), 2);
  EXPECT_GT(granted.load(), 0);
}

} // namespace
