//===- Npy.cpp - NumPy .npy file I/O --------------------------------------===//
//
// This file implements the .npy reader and writer. The header is a Python
// dict literal; rather than evaluating Python, the reader accepts exactly the
// small grammar numpy (and other writers) produce for plain arrays and
// checks every length against the bytes actually present before using it.
//
// Format: "\x93NUMPY", major, minor, header length (u16 for 1.0, u32 for
// 2.0/3.0, little-endian), then the header text, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Npy.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <utility>
#include <vector>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "graft's .npy I/O assumes a little-endian host"
#endif

namespace graft {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
// numpy aligns the start of the data to this many bytes.
constexpr size_t kArrayAlign = 64;
// numpy 1.24 leaves room for the first dimension to grow to this many
// digits, so that appending rewrites the header in place.
constexpr size_t kGrowthAxisMaxDigits = 21;
// No real header comes close; a larger one is corrupt or hostile.
constexpr size_t kMaxHeaderLen = 1 << 20;

struct NpyHeader {
  DType dtype = DType::F32;
  std::string descr;
  std::vector<int64_t> shape;
  // Offset of the first data byte from the start of the file.
  size_t dataOffset = 0;
  // Size of the data the header declares.
  size_t dataBytes = 0;
};

// Python's repr of a tuple of ints: (), (3,), (3, 4).
std::string pythonTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

// A printable rendering of untrusted header bytes for error messages.
std::string quoteText(const char *begin, const char *end, size_t maxLen = 60) {
  std::string s;
  for (const char *p = begin; p != end && s.size() < maxLen; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x7f) {
      s += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      s += buf;
    }
  }
  if (static_cast<size_t>(end - begin) > maxLen)
    s += "...";
  return "'" + s + "'";
}

// Recursive-descent parser for the header dict. Never reads past `end_`.
class HeaderParser {
public:
  HeaderParser(const char *begin, const char *end)
      : begin_(begin), cur_(begin), end_(end) {}

  // Parses the whole header into `out` (descr, fortran order, shape).
  // Returns a message without the file name on failure.
  Error parse(std::string &descr, bool &fortranOrder,
              std::vector<int64_t> &shape) {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{' at the start of the header dict");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (Error err = parseString(key))
        return Error("malformed header key: " + err.message());
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after key '" + key + "'");
      skipSpace();
      bool *seen = nullptr;
      Error err = Error::success();
      if (key == "descr") {
        seen = &haveDescr;
        if (peek() == '[')
          return Error("unsupported structured dtype (descr is a list); "
                       "only <f4, <f8 and <i8 are supported");
        err = parseString(descr);
      } else if (key == "fortran_order") {
        seen = &haveFortran;
        err = parseBool(fortranOrder);
      } else if (key == "shape") {
        seen = &haveShape;
        err = parseShape(shape);
      } else {
        return Error("unexpected key '" + key +
                     "' in header (expected descr, fortran_order, shape)");
      }
      if (err)
        return Error("malformed value for '" + key + "': " + err.message());
      if (*seen)
        return Error("duplicate key '" + key + "' in header");
      *seen = true;
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume('}'))
        break;
      return fail("expected ',' or '}' after the value of '" + key + "'");
    }
    skipSpace();
    if (cur_ != end_)
      return fail("unexpected text after the header dict");
    if (!haveDescr)
      return Error("header is missing the 'descr' key");
    if (!haveFortran)
      return Error("header is missing the 'fortran_order' key");
    if (!haveShape)
      return Error("header is missing the 'shape' key");
    return Error::success();
  }

private:
  int peek() const {
    return cur_ == end_ ? -1 : static_cast<unsigned char>(*cur_);
  }

  bool consume(char c) {
    if (cur_ != end_ && *cur_ == c) {
      ++cur_;
      return true;
    }
    return false;
  }

  bool consumeWord(const char *word) {
    size_t len = std::strlen(word);
    if (static_cast<size_t>(end_ - cur_) < len ||
        std::memcmp(cur_, word, len) != 0)
      return false;
    // The word must not continue as an identifier (e.g. "Truex").
    const char *after = cur_ + len;
    if (after != end_ &&
        (std::isalnum(static_cast<unsigned char>(*after)) || *after == '_'))
      return false;
    cur_ = after;
    return true;
  }

  void skipSpace() {
    while (cur_ != end_ &&
           (*cur_ == ' ' || *cur_ == '\t' || *cur_ == '\n' || *cur_ == '\r'))
      ++cur_;
  }

  Error fail(const std::string &what) const {
    return Error(what + " at offset " + std::to_string(cur_ - begin_) +
                 " of the header, near " + quoteText(cur_, end_, 20));
  }

  // A Python string literal with ' or " quotes and no escapes (numpy never
  // writes escapes in these keys or dtype strings).
  Error parseString(std::string &out) {
    int quote = peek();
    if (quote != '\'' && quote != '"')
      return fail("expected a quoted string");
    const char *start = ++cur_;
    while (cur_ != end_ && *cur_ != quote) {
      if (*cur_ == '\\' || *cur_ == '\n')
        return fail("unsupported character in string");
      ++cur_;
    }
    if (cur_ == end_)
      return fail("unterminated string");
    out.assign(start, cur_);
    ++cur_;
    return Error::success();
  }

  Error parseBool(bool &out) {
    if (consumeWord("True")) {
      out = true;
      return Error::success();
    }
    if (consumeWord("False")) {
      out = false;
      return Error::success();
    }
    return fail("expected True or False");
  }

  // A tuple of non-negative decimal integers, e.g. (), (3,), (3, 4). A
  // Python 2 'L' suffix is accepted; a parenthesized single int without the
  // comma is accepted as rank 1.
  Error parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return fail("expected a tuple like (3, 4)");
    while (true) {
      skipSpace();
      if (consume(')'))
        return Error::success();
      if (peek() == '-')
        return fail("negative dimension");
      if (peek() < '0' || peek() > '9')
        return fail("expected a dimension (a non-negative integer)");
      int64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        int digit = peek() - '0';
        if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
          return fail("dimension too large for a 64-bit integer");
        value = value * 10 + digit;
        ++cur_;
      }
      if (peek() == 'L' || peek() == 'l')
        ++cur_;
      shape.push_back(value);
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume(')'))
        return Error::success();
      return fail("expected ',' or ')' in shape");
    }
  }

  const char *begin_;
  const char *cur_;
  const char *end_;
};

Error withName(const std::string &name, const std::string &message) {
  return Error(name + ": " + message);
}

// Checks the magic string and version and returns the total length of the
// preamble and header, i.e. the offset where the data starts. `avail` bytes
// of the file are at `bytes`; only the first min(avail, 12) are looked at.
Expected<size_t> headerEnd(const unsigned char *bytes, size_t avail,
                           const std::string &name) {
  if (avail >= kMagicLen && std::memcmp(bytes, kMagic, kMagicLen) != 0) {
    const char *text = reinterpret_cast<const char *>(bytes);
    return withName(name, "not a .npy file (bad magic string " +
                              quoteText(text, text + kMagicLen) +
                              ", expected '\\x93NUMPY')");
  }
  if (avail < kMagicLen + 2)
    return withName(name, "not a .npy file (only " + std::to_string(avail) +
                              " bytes, too short for the magic string and "
                              "version)");
  unsigned major = bytes[6], minor = bytes[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return withName(
        name, "unsupported .npy format version " + std::to_string(major) + "." +
                  std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t prefix = kMagicLen + 2 + lenBytes;
  if (avail < prefix)
    return withName(name, "truncated .npy preamble: " + std::to_string(avail) +
                              " bytes, too short for the header length");
  size_t headerLen = 0;
  for (size_t i = 0; i < lenBytes; ++i)
    headerLen |= static_cast<size_t>(bytes[kMagicLen + 2 + i]) << (8 * i);
  if (headerLen > kMaxHeaderLen)
    return withName(name, "header length " + std::to_string(headerLen) +
                              " is implausibly large (corrupt file?)");
  return prefix + headerLen;
}

// Parses the preamble and header. `avail` must be at least what headerEnd
// returned; the caller supplies the total file size separately.
Expected<NpyHeader> parseHeader(const unsigned char *bytes, size_t avail,
                                size_t fileSize, const std::string &name) {
  Expected<size_t> end = headerEnd(bytes, avail, name);
  if (!end)
    return end.error();
  if (*end > fileSize)
    return withName(name, "truncated header: it declares " +
                              std::to_string(*end) +
                              " bytes of preamble and header but the file "
                              "holds only " +
                              std::to_string(fileSize) + " bytes");
  size_t prefix = bytes[6] == 1 ? 10 : 12;
  const char *text = reinterpret_cast<const char *>(bytes) + prefix;
  const char *textEnd = reinterpret_cast<const char *>(bytes) + *end;

  NpyHeader header;
  bool fortranOrder = false;
  HeaderParser parser(text, textEnd);
  if (Error err = parser.parse(header.descr, fortranOrder, header.shape))
    return withName(name, "malformed .npy header: " + err.message());

  const std::string &descr = header.descr;
  if (descr == "<f4") {
    header.dtype = DType::F32;
  } else if (descr == "<f8") {
    header.dtype = DType::F64;
  } else if (descr == "<i8") {
    header.dtype = DType::I64;
  } else if (!descr.empty() && descr[0] == '>') {
    return withName(name, "big-endian dtype '" + descr +
                              "' is not supported (supported: <f4, <f8, "
                              "<i8)");
  } else {
    return withName(name, "unsupported dtype '" + descr +
                              "' (supported: <f4, <f8, <i8)");
  }

  Expected<int64_t> numel = Tensor::checkedNumel(header.shape);
  if (!numel)
    return withName(name, "header declares an " + numel.error().message());

  if (fortranOrder) {
    // Column-major and row-major layouts coincide when at most one
    // dimension exceeds 1; anything else would need a transpose.
    int nontrivial = 0;
    for (int64_t dim : header.shape)
      nontrivial += dim > 1;
    if (nontrivial > 1)
      return withName(name, "fortran_order is True (column-major data) for "
                            "shape " +
                                pythonTuple(header.shape) +
                                "; only C-order arrays are supported (save "
                                "np.ascontiguousarray(a))");
  }

  header.dataOffset = *end;
  header.dataBytes = static_cast<size_t>(*numel) * dtypeSize(header.dtype);
  size_t held = fileSize - header.dataOffset;
  if (held != header.dataBytes)
    return withName(name, "header declares shape " + pythonTuple(header.shape) +
                              " of " + descr + " (" +
                              std::to_string(header.dataBytes) +
                              " bytes) but the file holds " +
                              std::to_string(held) + " bytes of data");
  return header;
}

const char *descrOf(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I64:
    return "<i8";
  }
  return "";
}

// The preamble and padded header numpy.save writes for this tensor.
std::string makeHeader(const Tensor &tensor) {
  const std::vector<int64_t> &shape = tensor.shape();
  std::string dict =
      std::string("{'descr': '") + descrOf(tensor.dtype()) +
      "', 'fortran_order': False, 'shape': " + pythonTuple(shape) + ", }";
  if (!shape.empty()) {
    size_t digits = std::to_string(shape[0]).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  // Version 1.0 unless the header overflows its 16-bit length field.
  unsigned major = 1;
  size_t prefix = kMagicLen + 2 + 2;
  size_t textLen = dict.size() + 1; // + '\n'
  size_t pad = kArrayAlign - (prefix + textLen) % kArrayAlign;
  if (textLen + pad > 0xFFFF) {
    major = 2;
    prefix = kMagicLen + 2 + 4;
    pad = kArrayAlign - (prefix + textLen) % kArrayAlign;
  }
  size_t headerLen = textLen + pad;

  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < prefix - kMagicLen - 2; ++i)
    out += static_cast<char>((headerLen >> (8 * i)) & 0xFF);
  out += dict;
  out.append(pad, ' ');
  out += '\n';
  return out;
}

// Closes a FILE on scope exit.
struct FileCloser {
  void operator()(std::FILE *f) const {
    if (f)
      std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::string errnoText() { return std::strerror(errno); }

// Reads all of a non-seekable stream (a pipe, /dev/stdin) into memory.
Expected<Tensor> readStream(std::FILE *f, const std::string &path) {
  std::string bytes;
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0)
    bytes.append(buf, got);
  if (std::ferror(f))
    return withName(path, "cannot read: " + errnoText());
  return parseNpy(bytes.data(), bytes.size(), path);
}

} // namespace

Expected<Tensor> parseNpy(const void *bytes, size_t size,
                          const std::string &name) {
  const auto *data = static_cast<const unsigned char *>(bytes);
  if (!data && size)
    return withName(name, "null input");
  Expected<NpyHeader> header = parseHeader(data, size, size, name);
  if (!header)
    return header.error();
  Expected<Tensor> tensor = Tensor::tryEmpty(header->shape, header->dtype);
  if (!tensor)
    return withName(name, tensor.error().message());
  if (header->dataBytes)
    std::memcpy(tensor->data(), data + header->dataOffset, header->dataBytes);
  return tensor;
}

Expected<Tensor> readNpy(const std::string &path) {
  errno = 0;
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return withName(path, "cannot open: " + errnoText());
  struct stat st;
  if (fstat(fileno(file.get()), &st) != 0)
    return withName(path, "cannot stat: " + errnoText());
  if (S_ISDIR(st.st_mode))
    return withName(path, "is a directory, not a .npy file");
  if (!S_ISREG(st.st_mode))
    return readStream(file.get(), path);
  size_t fileSize = static_cast<size_t>(st.st_size);

  // Read the fixed preamble, then exactly the header it declares, then the
  // data straight into the tensor's buffer.
  std::vector<unsigned char> head(fileSize < 12 ? fileSize : 12);
  if (std::fread(head.data(), 1, head.size(), file.get()) != head.size())
    return withName(path, "cannot read: " + errnoText());
  Expected<size_t> end = headerEnd(head.data(), head.size(), path);
  if (!end)
    return end.error();
  if (*end > fileSize)
    return withName(path, "truncated header: it declares " +
                              std::to_string(*end) +
                              " bytes of preamble and header but the file "
                              "holds only " +
                              std::to_string(fileSize) + " bytes");
  size_t already = head.size();
  head.resize(*end);
  if (*end > already && std::fread(head.data() + already, 1, *end - already,
                                   file.get()) != *end - already)
    return withName(path, "cannot read the header: " + errnoText());
  Expected<NpyHeader> header =
      parseHeader(head.data(), head.size(), fileSize, path);
  if (!header)
    return header.error();

  Expected<Tensor> tensor = Tensor::tryEmpty(header->shape, header->dtype);
  if (!tensor)
    return withName(path, tensor.error().message());
  // The stream is now positioned at header->dataOffset.
  if (header->dataBytes && std::fread(tensor->data(), 1, header->dataBytes,
                                      file.get()) != header->dataBytes)
    return withName(path, "cannot read " + std::to_string(header->dataBytes) +
                              " bytes of data (file changed while reading?)");
  return tensor;
}

std::string serializeNpy(const Tensor &tensor) {
  if (!tensor.valid())
    reportFatalError("serializeNpy: invalid tensor");
  std::string out = makeHeader(tensor);
  out.append(static_cast<const char *>(tensor.data()), tensor.nbytes());
  return out;
}

Error writeNpy(const std::string &path, const Tensor &tensor) {
  if (!tensor.valid())
    return withName(path, "cannot write an invalid tensor");
  errno = 0;
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file)
    return withName(path, "cannot open for writing: " + errnoText());
  std::string header = makeHeader(tensor);
  if (std::fwrite(header.data(), 1, header.size(), file.get()) !=
          header.size() ||
      (tensor.nbytes() && std::fwrite(tensor.data(), 1, tensor.nbytes(),
                                      file.get()) != tensor.nbytes()))
    return withName(path, "write failed: " + errnoText());
  std::FILE *raw = file.release();
  if (std::fclose(raw) != 0)
    return withName(path, "write failed: " + errnoText());
  return Error::success();
}

} // namespace graft
