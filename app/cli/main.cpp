// neurite-cli: the headless entry point. Dispatches to one file per command under commands/ and
// is the only place CLI errors are caught: exit 2 bad input, 3 diverged, 130 interrupted.
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "version") {
        std::printf("neurite-cli %s\n", NEURITE_VERSION);
        return 0;
    }
    std::fprintf(stderr, "error: unknown command '%s'\n", cmd.c_str());
    return 2;
}
