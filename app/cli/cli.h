// Shared pieces of neurite-cli: argument parsing and the command signatures. Each command lives
// in commands/<name>.cpp; main.cpp dispatches and maps errors to exit codes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "train/events.h"
#include "config/train_config.h"

namespace neurite::cli {

// Parsed "--name value" options, "--flag" switches and positional arguments. Every lookup of a
// typed value validates it and throws Error{BadInput} naming the option.
class Args {
public:
    // flags: option names that take no value (e.g. "json").
    Args(int argc, char** argv, int first, const std::vector<std::string>& flags,
         const std::vector<std::string>& valued);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool flag(const std::string& name) const { return m_flags.count(name) != 0; }
    std::optional<std::string> str(const std::string& name) const;
    std::optional<long long> integer(const std::string& name, long long min, long long max) const;
    std::optional<double> number(const std::string& name, double min, double max) const;

private:
    std::vector<std::string> m_positional;
    std::map<std::string, std::string> m_values;
    std::map<std::string, bool> m_flags;
};

// A stored run's or experiment's id from the command line: a positive integer, else
// Error{BadInput} "expected <what> (a positive integer), got 'x'".
int64_t positiveId(const std::string& text, const char* what);

// The training overrides of `train` (--epochs, --batch-size, --lr, --device, --threads, --seed,
// --precision, --max-steps), also accepted by `export`, which trains first.
void applyTrainOverrides(const Args& args, TrainConfig& training);

int runTrain(int argc, char** argv);
int runBench(int argc, char** argv);
int runDevices(int argc, char** argv);
int runVersion(int argc, char** argv);
int runLayers(int argc, char** argv);
int runRuns(int argc, char** argv);
int runData(int argc, char** argv);
int runExport(int argc, char** argv);
int runImport(int argc, char** argv);
int runPredict(int argc, char** argv);
int runSelftest(int argc, char** argv);
int runExperimentCommand(int argc, char** argv);
int runCompress(int argc, char** argv);

// Ctrl-C handling: the first SIGINT asks the running trainer to stop after its current step.
StopToken* installInterruptHandler();

}  // namespace neurite::cli
