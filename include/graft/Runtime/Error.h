//===- Error.h - Exception-free error values --------------------*- C++ -*-===//
//
// This file declares graft::Error and graft::Expected<T>, the value types
// the host API uses to report failures. Graft is built with -fno-exceptions,
// so every operation that can fail on user input (a malformed .npy file, a
// bad shape) returns one of these instead of throwing.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_ERROR_H
#define GRAFT_RUNTIME_ERROR_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace graft {

/// The outcome of an operation that returns no value: either success or a
/// failure carrying a human-readable message. Converts to true when it is a
/// failure, so the idiom is `if (Error err = writeNpy(...)) report(err);`.
class [[nodiscard]] Error {
public:
  /// Returns the success value.
  static Error success() { return Error(); }

  /// Creates a failure with the given message.
  explicit Error(std::string message)
      : message_(std::move(message)), failed_(true) {}

  /// True when this is a failure.
  explicit operator bool() const { return failed_; }

  /// The failure message; empty for success.
  const std::string &message() const { return message_; }

private:
  Error() = default;

  std::string message_;
  bool failed_ = false;
};

/// Either a T or the Error that prevented producing one. Converts to true
/// when it holds a value; dereferencing a failed Expected is a programming
/// error (checked by assert).
template <typename T> class [[nodiscard]] Expected {
public:
  /// Holds a value.
  Expected(T value) : value_(std::move(value)), error_(Error::success()) {}

  /// Holds a failure; `error` must not be Error::success().
  Expected(Error error) : error_(std::move(error)) {
    assert(error_ && "Expected constructed from a success Error");
  }

  /// True when a value is held.
  explicit operator bool() const { return value_.has_value(); }

  T &operator*() {
    assert(value_ && "dereferencing a failed Expected");
    return *value_;
  }
  const T &operator*() const {
    assert(value_ && "dereferencing a failed Expected");
    return *value_;
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }

  /// The failure; Error::success() when a value is held.
  const Error &error() const { return error_; }

  /// Moves the held value out.
  T take() {
    assert(value_ && "taking the value of a failed Expected");
    return std::move(*value_);
  }

private:
  std::optional<T> value_;
  Error error_;
};

/// Prints "graft: fatal error: <message>" to stderr and aborts. Used for
/// violated preconditions of APIs that cannot return an Error (for example
/// Tensor::empty with a negative dimension, or out-of-range element access).
[[noreturn]] void reportFatalError(const std::string &message);

} // namespace graft

#endif // GRAFT_RUNTIME_ERROR_H
