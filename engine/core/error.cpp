// Names of error kinds, used in messages and JSON events.
#include "core/error.h"

namespace neurite {

const char* nameOf(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::BadInput: return "bad_input";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Diverged: return "diverged";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Io: return "io";
    case ErrorKind::Internal: return "internal";
    }
    return "internal";
}

}  // namespace neurite
