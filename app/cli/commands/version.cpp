// neurite-cli version: this program's version and the libraries it runs on.
#include <cstdio>

#include "backend/cpu/cpu_backend.h"
#include "cli.h"

namespace neurite::cli {

int runVersion(int argc, char** argv) {
    Args args(argc, argv, 2, {"help"}, {});
    if (args.flag("help")) {
        std::fputs("usage: neurite-cli version\n"
                   "  prints neurite-cli's version and the oneDNN version it runs on\n",
                   stdout);
        return 0;
    }
    std::printf("neurite-cli %s (oneDNN %s)\n", NEURITE_VERSION, cpu::onednnVersion().c_str());
    return 0;
}

}  // namespace neurite::cli
