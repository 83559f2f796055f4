//===- NpyTest.cpp - Tests for .npy reading and writing -------------------===//
//
// This file tests the .npy writer against numpy.save's exact bytes, round
// trips through files and memory, and the reader's handling of corrupt
// input: every malformed file must produce an Error naming the file and the
// problem, never a crash or an over-read.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Npy.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace graft;

namespace {

// A path in the test temp dir, unique to this process.
std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "graft_npy_" + std::to_string(getpid()) + "_" +
         name;
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
}

// The header numpy.save (numpy 1.24) writes, including the 21-digit growth
// room after the dict, padded so the data starts at byte 128.
std::string numpyHeader(const std::string &dict) {
  std::string header = dict;
  header.resize(128 - 10 - 1, ' ');
  return std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header + "\n";
}

std::string bytesOf(const void *data, size_t n) {
  return std::string(static_cast<const char *>(data), n);
}

Expected<Tensor> parse(const std::string &bytes,
                       const std::string &name = "bad.npy") {
  return parseNpy(bytes.data(), bytes.size(), name);
}

// The message of a parse that must fail.
std::string parseError(const std::string &bytes) {
  Expected<Tensor> t = parse(bytes);
  EXPECT_FALSE(t) << "parse unexpectedly succeeded";
  return t ? std::string() : t.error().message();
}

std::string v1(const std::string &headerText) {
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(headerText.size() & 0xFF);
  out += static_cast<char>(headerText.size() >> 8);
  return out + headerText;
}

TEST(NpyTest, SerializeMatchesNumpySave) {
  Tensor t =
      Tensor::fromData(std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
  std::string bytes = serializeNpy(t);
  std::string expectedHeader = numpyHeader(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }");
  ASSERT_EQ(bytes.size(), 128u + 36u);
  EXPECT_EQ(bytes.substr(0, 128), expectedHeader);
  EXPECT_EQ(bytes.substr(128), bytesOf(t.data(), 36));
}

TEST(NpyTest, SerializeHeaderForEachDTypeAndRank) {
  EXPECT_EQ(
      serializeNpy(Tensor::zeros({}, DType::F64)).substr(0, 128),
      numpyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"));
  EXPECT_EQ(serializeNpy(Tensor::zeros({0, 3}, DType::I64)),
            numpyHeader(
                "{'descr': '<i8', 'fortran_order': False, 'shape': (0, 3), }"));
  EXPECT_EQ(
      serializeNpy(Tensor::zeros({5})).substr(0, 128),
      numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"));
  EXPECT_EQ(serializeNpy(Tensor::zeros({1000, 1000})).substr(0, 128),
            numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': "
                        "(1000, 1000), }"));
}

TEST(NpyTest, HeaderIsAlignedAndNewlineTerminated) {
  // Long shapes push the header past one 64-byte line.
  for (size_t rank = 0; rank < 40; ++rank) {
    std::vector<int64_t> shape(rank, 1);
    std::string bytes = serializeNpy(Tensor::zeros(shape));
    size_t headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    size_t dataStart = 10 + headerLen;
    EXPECT_EQ(dataStart % 64, 0u) << "rank " << rank;
    EXPECT_EQ(bytes[dataStart - 1], '\n');
    EXPECT_EQ(bytes.size(), dataStart + 4);
    Expected<Tensor> back = parse(bytes);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->shape(), shape);
  }
}

TEST(NpyTest, ParsesNumpyWrittenBytes) {
  // np.save of np.arange(6, dtype=np.int64).reshape(2, 3).
  std::string bytes = numpyHeader(
      "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }");
  int64_t values[] = {0, 1, 2, 3, 4, 5};
  bytes += bytesOf(values, sizeof(values));
  Expected<Tensor> t = parse(bytes);
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->dtype(), DType::I64);
  EXPECT_EQ(t->shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t->at({1, 2}), 5.0);
  EXPECT_FALSE(t->isView());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->data()) % 64, 0u);
}

TEST(NpyTest, RoundTripThroughFiles) {
  std::vector<Tensor> tensors = {
      Tensor::rand({3, 4}, 0),
      Tensor::rand({2, 3, 5}, 1, DType::F64),
      Tensor::fromData(std::vector<int64_t>{-3, 0, 1LL << 40}, {3}),
      Tensor::full({}, 42.5),
      Tensor::zeros({0, 7}, DType::F64),
  };
  std::string path = tempPath("roundtrip.npy");
  for (const Tensor &t : tensors) {
    ASSERT_FALSE(writeNpy(path, t));
    Expected<Tensor> back = readNpy(path);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->dtype(), t.dtype());
    EXPECT_EQ(back->shape(), t.shape());
    ASSERT_EQ(back->nbytes(), t.nbytes());
    EXPECT_EQ(std::memcmp(back->data(), t.data(), t.nbytes()), 0);
  }
  std::remove(path.c_str());
}

TEST(NpyTest, WriteAView) {
  float data[] = {1, 2, 3, 4};
  std::string bytes = serializeNpy(Tensor::view(data, {2, 2}, DType::F32));
  Expected<Tensor> back = parse(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at({1, 1}), 4.0);
}

TEST(NpyTest, AcceptsOtherVersionsAndSpellings) {
  float one = 1.0f;
  std::string data = bytesOf(&one, 4);

  // Version 2.0: a 4-byte header length.
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
  std::string text =
      dict + std::string((64 - (12 + dict.size() + 1) % 64) % 64, ' ');
  text += "\n";
  std::string v2("\x93NUMPY\x02\x00", 8);
  for (int i = 0; i < 4; ++i)
    v2 += static_cast<char>((text.size() >> (8 * i)) & 0xFF);
  Expected<Tensor> t2 = parse(v2 + text + data);
  ASSERT_TRUE(t2) << t2.error().message();
  EXPECT_EQ(t2->at({0}), 1.0);

  // Version 3.0 has the same layout (UTF-8 header).
  std::string v3 = v2;
  v3[6] = 3;
  EXPECT_TRUE(parse(v3 + text + data));

  // Other writers: double quotes, key order, no trailing comma, Python 2
  // longs, no padding, no final newline.
  Expected<Tensor> t = parse(
      v1("{\"shape\": (1L,), \"fortran_order\": False, \"descr\": \"<f4\"}") +
      data);
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->shape(), (std::vector<int64_t>{1}));

  // fortran_order True is harmless when at most one dimension exceeds 1.
  Expected<Tensor> f =
      parse(v1("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }\n") +
            data);
  ASSERT_TRUE(f) << f.error().message();
}

TEST(NpyTest, ShapeLargerThanData) {
  std::string bytes = v1("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(1000, 1000), }\n") +
                      std::string(12, '\0');
  EXPECT_EQ(parseError(bytes),
            "bad.npy: header declares shape (1000, 1000) of <f4 (4000000 "
            "bytes) but the file holds 12 bytes of data");
}

TEST(NpyTest, TrailingBytesAreRejected) {
  std::string bytes = serializeNpy(Tensor::zeros({2})) + "junk";
  EXPECT_EQ(parseError(bytes),
            "bad.npy: header declares shape (2,) of <f4 (8 bytes) but the "
            "file holds 12 bytes of data");
}

TEST(NpyTest, CorruptPreamble) {
  EXPECT_EQ(parseError(""), "bad.npy: not a .npy file (only 0 bytes, too "
                            "short for the magic string and version)");
  EXPECT_NE(parseError("PK\x03\x04zip file contents").find("bad magic"),
            std::string::npos);
  EXPECT_NE(parseError(std::string("\x93NUMPY\x01", 7)).find("too short"),
            std::string::npos);
  EXPECT_NE(parseError(std::string("\x93NUMPY\x01\x00\x10", 9))
                .find("truncated .npy preamble"),
            std::string::npos);
  EXPECT_NE(parseError(std::string("\x93NUMPY\x04\x00\x10\x00", 10))
                .find("unsupported .npy format version 4.0"),
            std::string::npos);
  // The header claims 0x7fff bytes but the file ends much sooner.
  EXPECT_NE(parseError(std::string("\x93NUMPY\x01\x00\xff\x7f{'descr'", 17))
                .find("truncated header"),
            std::string::npos);
  // A version 2.0 header length of 4 GiB.
  EXPECT_NE(parseError(std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff{", 13))
                .find("implausibly large"),
            std::string::npos);
}

TEST(NpyTest, MalformedHeaders) {
  struct Case {
    const char *header;
    const char *message;
  };
  const Case cases[] = {
      {"", "expected '{'"},
      {"[1, 2]", "expected '{'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",
       "expected ',' or '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } extra",
       "unexpected text after the header dict"},
      {"{'descr: '<f4'}", "expected ':'"},
      {"{descr: '<f4'}", "malformed header key"},
      {"{'descr': <f4, 'fortran_order': False, 'shape': (2,), }",
       "malformed value for 'descr'"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }",
       "expected ',' or '}' after the value of 'descr'"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",
       "expected True or False"},
      {"{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,), }",
       "expected True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2], }",
       "expected a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }",
       "expected a dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }",
       "expected ',' or ')'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,",
       "expected a dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
       "negative dimension"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': "
       "(99999999999999999999,), }",
       "dimension too large"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, "
       "4294967296), }",
       "overflows"},
      {"{'descr': '<f4', 'fortran_order': False}",
       "header is missing the 'shape' key"},
      {"{'fortran_order': False, 'shape': (2,)}",
       "header is missing the 'descr' key"},
      {"{'descr': '<f4', 'shape': (2,)}",
       "header is missing the 'fortran_order' key"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': "
       "(2,), }",
       "duplicate key 'descr'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
       "unexpected key 'x'"},
      {"{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
       "big-endian dtype '>f4' is not supported"},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
       "unsupported dtype '<i4'"},
      {"{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }",
       "unsupported dtype '|u1'"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
       "structured dtype"},
      {"{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
       "fortran_order is True"},
      {"{'descr': '<f4\\n', 'fortran_order': False, 'shape': (2,), }",
       "unsupported character"},
      {"{'descr': '<f4", "unterminated string"},
  };
  for (const Case &c : cases) {
    std::string bytes = v1(c.header) + std::string(24, '\0');
    std::string message = parseError(bytes);
    EXPECT_EQ(message.rfind("bad.npy: ", 0), 0u) << message;
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "header: " << c.header << "\nmessage: " << message;
  }
}

TEST(NpyTest, ReadErrorsNameTheFile) {
  std::string missing = tempPath("does_not_exist.npy");
  Expected<Tensor> t = readNpy(missing);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message().rfind(missing + ": cannot open", 0), 0u)
      << t.error().message();

  Expected<Tensor> dir = readNpy(::testing::TempDir());
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message().find("directory"), std::string::npos);

  std::string path = tempPath("short.npy");
  writeFile(path, v1("{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(1000, 1000), }\n") +
                      std::string(12, '\0'));
  Expected<Tensor> shortFile = readNpy(path);
  ASSERT_FALSE(shortFile);
  EXPECT_EQ(shortFile.error().message(),
            path + ": header declares shape (1000, 1000) of <f4 (4000000 "
                   "bytes) but the file holds 12 bytes of data");

  writeFile(path, std::string("\x93NUMPY\x01\x00\xff\x7f{'de", 14));
  Expected<Tensor> truncated = readNpy(path);
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message().find("truncated header"),
            std::string::npos);
  std::remove(path.c_str());
}

TEST(NpyTest, WriteErrorsNameTheFile) {
  std::string path = tempPath("no_such_dir/out.npy");
  Error err = writeNpy(path, Tensor::zeros({2}));
  ASSERT_TRUE(err);
  EXPECT_EQ(err.message().rfind(path + ": cannot open for writing", 0), 0u)
      << err.message();

  Error invalid = writeNpy(tempPath("invalid.npy"), Tensor());
  EXPECT_TRUE(invalid);
}

// Every prefix of a valid file, and many single-byte corruptions of it, must
// be rejected or parsed without touching bytes past the end (run under ASan
// to catch over-reads; here the copy into an exactly sized buffer makes an
// over-read likely to be visible too).
TEST(NpyTest, CorruptInputNeverCrashes) {
  std::string good = serializeNpy(Tensor::rand({3, 5}, 3, DType::F64));
  for (size_t len = 0; len < good.size(); ++len) {
    std::vector<char> prefix(good.begin(), good.begin() + len);
    Expected<Tensor> t = parseNpy(prefix.data(), prefix.size(), "p.npy");
    EXPECT_FALSE(t) << "prefix of " << len << " bytes parsed";
  }
  std::mt19937 rng(1);
  int parsed = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<char> bytes(good.begin(), good.end());
    // Corrupt one or two bytes of the preamble and header.
    for (int k = 0; k < 1 + iter % 2; ++k)
      bytes[rng() % 128] = static_cast<char>(rng());
    Expected<Tensor> t = parseNpy(bytes.data(), bytes.size(), "c.npy");
    if (t) {
      ++parsed;
      EXPECT_EQ(t->nbytes(), bytes.size() - 128);
    } else {
      EXPECT_EQ(t.error().message().rfind("c.npy: ", 0), 0u);
    }
  }
  // Most corruptions land in the padding and are harmless.
  EXPECT_GT(parsed, 0);
}

} // namespace
