// neurite::Error: the one exception type the engine throws. Its kind decides the CLI exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace neurite {

enum class ErrorKind {
    BadInput,     // the user's file, data or option is wrong; the message says how to fix it
    Unsupported,  // valid request this build or device cannot do; the message says why
    Diverged,     // training produced NaN/Inf
    Cancelled,    // the user stopped the work
    Io,           // file system or database failure
    Internal,     // a bug in Neurite
};

const char* nameOf(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

[[noreturn]] inline void throwBadInput(const std::string& message) {
    throw Error(ErrorKind::BadInput, message);
}
[[noreturn]] inline void throwInternal(const std::string& message) {
    throw Error(ErrorKind::Internal, message);
}

}  // namespace neurite

// Checks an internal invariant; throws ErrorKind::Internal instead of aborting.
#define NEURITE_CHECK(cond, msg)                                                              \
    do {                                                                                      \
        if (!(cond))                                                                          \
            ::neurite::throwInternal(std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                                     ": " + (msg));                                           \
    } while (0)
