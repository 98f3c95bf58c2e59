// NEURITE_SKIP_MISSING(reason): a test that needs a tool or data set that scripts/dev.sh installs.
// Outside the README's test command it skips with the reason; under it (NEURITE_STRICT_TESTS=1,
// set by `scripts/dev.sh test` and so by CI) it fails, because the same script that runs the test
// should have installed what it needs. Hardware skips (no GPU, no bf16) use QSKIP directly.
#pragma once

#include <QtTest/QtTest>

#include "support/test_env.h"

#define NEURITE_SKIP_MISSING(reason)                                                          \
    do {                                                                                      \
        if (neurite::test::strictTests())                                                     \
            QFAIL(qPrintable(QString("%1 (NEURITE_STRICT_TESTS is set: scripts/dev.sh test " \
                                     "installs this, so its absence is a failure)")           \
                                 .arg(reason)));                                              \
        QSKIP(reason);                                                                        \
    } while (false)
