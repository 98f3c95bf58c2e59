// Hostile input to the readers every format shares: JSON nested 100,000 deep, numbers beyond
// double and invalid UTF-8 (engine/io/json_text), paths that are devices, FIFOs, directories or
// too large (core/file_read), an image and an IDX.gz that would decompress to gigabytes, huge
// values quoted in messages, and a model too large for memory (run/run_setup). Each is refused
// at once with Error{BadInput} and a message that says what is wrong.
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <fstream>

#include "core/error.h"
#include "core/file_read.h"
#include "data/idx_reader.h"
#include "data/image_decode.h"
#include "io/json_text.h"
#include "io/project.h"
#include "support/test_env.h"
#include "run/run_setup.h"

using namespace neurite;

namespace {

// The error a call throws (kind checked), or "" when it does not throw.
template <class F>
QString errorOf(F&& f, ErrorKind kind = ErrorKind::BadInput) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != kind) return "wrong kind " + QString(nameOf(e.kind())) + ": " + e.what();
        return QString::fromStdString(e.what());
    }
    return {};
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string nested(int depth, const std::string& open, const std::string& close) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += open;
    for (int i = 0; i < depth; ++i) s += close;
    return s;
}

std::string spiralProject() {
    std::ifstream in(test::sourceDir() + "/resources/examples/spiral.neurite.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A gray PNG whose header (IHDR) declares width x height, with no pixel data: all stbi_info
// reads. (Gray, because stb itself refuses an RGB one over 1 GiB, but not this 1.6 GB case.)
std::string pngHeader(uint32_t width, uint32_t height) {
    auto be32 = [](uint32_t v) {
        return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    };
    std::string chunk = "IHDR" + be32(width) + be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
    const auto crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(chunk.size())));
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + chunk + be32(crc);
}

}  // namespace

class TestHostileFiles : public QObject {
    Q_OBJECT
private slots:
    // One depth limit for every JSON read, checked before nlohmann builds anything (a
    // 100,000-deep list in a project crashed `train` with SIGSEGV).
    void deepJsonIsRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const std::string project = spiralProject();
        const std::string deepParam = std::string(project).replace(
            project.find("\"units\": 64"), 11, "\"units\": " + nested(100000, "[", "]"));
        QTest::newRow("project parameter 100000 deep")
            << QString::fromStdString(deepParam) << "line 16, column";
        QTest::newRow("objects") << QString::fromStdString(nested(101, "{\"a\":", "}")) << "column 501";
        QTest::newRow("lists") << QString::fromStdString(nested(101, "[", "]")) << "column 101";
    }
    void deepJsonIsRefused() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string json = text.toStdString();
        const QString error = errorOf([&] { io::parseJson(json, "deep.json"); });
        QVERIFY2(error.startsWith("deep.json: ") && error.contains(expected) &&
                     error.contains("nested deeper than 100 levels"),
                 qPrintable(error));
        const QString viaProject = errorOf([&] { parseProject(json, "deep.neurite.json", nullptr); });
        QVERIFY2(viaProject.contains("nested deeper than 100 levels"), qPrintable(viaProject));
    }

    // Brackets inside strings do not count, and the limit itself still parses.
    void depthCountsStructureOnly() {
        const std::string atLimit = nested(kDepth, "[", "]");
        QCOMPARE(errorOf([&] { io::parseJson(atLimit, "x"); }), QString());
        const std::string inString = "{\"a\": \"" + std::string(5000, '[') + "\\\"[{\"}";
        QCOMPARE(errorOf([&] { io::parseJson(inString, "x"); }), QString());
    }

    // Syntax errors, ill-formed UTF-8 and numbers beyond double are bad input (1e400 was an
    // internal error, exit 1).
    void badJsonIsBadInput_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("epochs 1e400") << QByteArray("{\"epochs\": 1e400}") << "number overflow parsing '1e400'";
        QTest::newRow("syntax") << QByteArray("{\n  \"a\": x}") << "line 2, column 8: invalid JSON: syntax error";
        QTest::newRow("latin-1 in a string") << QByteArray("{\"a\": \"caf\xe9\"}") << "invalid JSON";
        QTest::newRow("huge token clipped") << QByteArray("[\"") + QByteArray(100000, 'x') << "...";
    }
    void badJsonIsBadInput() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString error = errorOf([&] { io::parseJson(text.toStdString(), "f.json"); });
        QVERIFY2(error.startsWith("f.json: ") && error.contains(expected), qPrintable(error));
        QVERIFY2(error.size() < 500, qPrintable(error.left(600)));
    }

    // Invalid UTF-8 reaching a writer (a Latin-1 class name) is replaced, never thrown
    // (nlohmann's type_error.316 lost the run and the finished event).
    void dumpReplacesInvalidUtf8() {
        nlohmann::json j{{"classes", {"caf\xe9", "ok"}}};
        const std::string text = io::dumpJson(j);
        QCOMPARE(QString::fromStdString(text), QString::fromUtf8("{\"classes\":[\"caf\xef\xbf\xbd\",\"ok\"]}"));
        QCOMPARE(errorOf([&] { io::parseJson(text, "x"); }), QString());
        nlohmann::ordered_json o{{"name", std::string("\xff\xfe", 2)}};
        QVERIFY(io::dumpJson(o, 2).find("\xef\xbf\xbd") != std::string::npos);
    }

    // Devices, FIFOs and directories are refused at once (a FIFO blocked forever, /dev/zero
    // was read without end), and so is a file larger than its format can be.
    void nonRegularFilesAreRefused_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("/dev/zero") << "/dev/zero" << "it is not a regular file";
        QTest::newRow("/dev/urandom") << "/dev/urandom" << "it is not a regular file";
        QTest::newRow("fifo") << "fifo" << "it is not a regular file";
        QTest::newRow("directory") << "dir" << "it is a directory";
        QTest::newRow("missing") << "/nonexistent/p.neurite.json" << "No such file or directory";
        QTest::newRow("sparse 65 MiB project") << "BIG" << "more than a project file can be (at most 64.0 MiB)";
    }
    void nonRegularFilesAreRefused() {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        std::string p = test::notAFile(path.toStdString(), dir.path().toStdString(), "fifo");
        QVERIFY(!p.empty());
        if (path == "BIG") {
            p = dir.filePath("big.neurite.json").toStdString();
            writeBytes(p, "{");
            QCOMPARE(::truncate(p.c_str(), kMaxProjectBytes + 1), 0);
        }
        const auto start = std::chrono::steady_clock::now();
        const QString error = errorOf([&] { loadProject(p, nullptr); });
        QVERIFY2(error.contains(expected) && error.contains(QString::fromStdString(p)), qPrintable(error));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
        const QString bytes = errorOf([&] { readRegularFileBytes(p, kMaxProjectBytes, "a project file"); });
        QCOMPARE(bytes.contains(expected), true);
    }

    // An image's size comes from its header before any pixel is decoded: a 20000x20000 PNG
    // (1.6 GB decoded) is refused; a small one decodes.
    void imageBombIsRefused() {
        QTemporaryDir dir;
        const std::string bomb = dir.filePath("bomb.png").toStdString();
        writeBytes(bomb, pngHeader(20000, 20000));
        const QString error = errorOf([&] { decodeImageFile(bomb, 3); });
        QVERIFY2(error.contains("20000x20000 pixels (400 megapixels), more than Neurite decodes"),
                 qPrintable(error));
        const std::string fifo = dir.filePath("img.png").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        QVERIFY(errorOf([&] { decodeImageFile(fifo, 3); }).contains("not a regular file"));
        // Within the cap, the header is read and decoding is attempted (and fails: no data).
        writeBytes(bomb, pngHeader(100, 100));
        QVERIFY(errorOf([&] { decodeImageFile(bomb, 3); }).contains("cannot decode the image"));
    }

    // Only the formats Neurite reads reach stb_image, and a JPEG Huffman table with more than
    // 256 codes (which Debian's stb_image writes past its table for; found by fuzz_image) is
    // refused before decoding.
    void imageFormatsAreCheckedBeforeStb() {
        QTemporaryDir dir;
        const std::string text = dir.filePath("notes.png").toStdString();
        writeBytes(text, std::string("hello, this is text"));
        QVERIFY2(errorOf([&] { decodeImageFile(text, 3); }).contains("not a PNG, JPEG, BMP, GIF, PGM/PPM or TGA image"),
                 qPrintable(errorOf([&] { decodeImageFile(text, 3); })));
        std::string jpeg = "\xFF\xD8\xFF\xC4";
        const int codes = 16 * 20;  // 20 codes of each length: 320
        const int length = 2 + 17 + codes;
        jpeg += static_cast<char>(length >> 8);
        jpeg += static_cast<char>(length & 0xFF);
        jpeg += '\0';
        jpeg += std::string(16, static_cast<char>(20));
        jpeg += std::string(static_cast<std::size_t>(codes), '\1');
        jpeg += "\xFF\xD9";
        const std::string path = dir.filePath("dht.jpg").toStdString();
        writeBytes(path, jpeg);
        const QString error = errorOf([&] { decodeImageFile(path, 3); });
        QVERIFY2(error.contains("Huffman table (DHT) at byte 6 declares 320 codes (at most 256)"), qPrintable(error));
        // A 102-byte PNG whose IDAT declares 1 GiB (stb grew its buffer to that before reading;
        // found by fuzz_image) is truncated.
        const std::string idat = test::sourceDir() + "/tests/fuzz/corpus/image/png_idat_1gib.png";
        QVERIFY2(errorOf([&] { decodeImageFile(idat, 3); }).contains("truncated PNG: the chunk at byte 63 declares 1073741852 bytes"),
                 qPrintable(errorOf([&] { decodeImageFile(idat, 3); })));
        // A BMP 113 pixels wide and 0 high decoded as an empty image (found by fuzz_image).
        const std::string flat = test::sourceDir() + "/tests/fuzz/corpus/image/bmp_zero_height.bmp";
        QVERIFY2(errorOf([&] { decodeImageFile(flat, 3); }).contains("cannot decode the image: it is 113x0 pixels"),
                 qPrintable(errorOf([&] { decodeImageFile(flat, 3); })));
        // A progressive JPEG whose scan data has FF fill runs before FF 00, then an oversized DHT.
        const std::string fill = test::sourceDir() + "/tests/fuzz/corpus/image/jpeg_progressive_dht_after_fill.jpg";
        QVERIFY2(errorOf([&] { decodeImageFile(fill, 3); }).contains("Huffman table (DHT)"),
                 qPrintable(errorOf([&] { decodeImageFile(fill, 3); })));
        // The input fuzz_image found: padding before the DHT segment, which stb skips over.
        const std::string found = test::sourceDir() + "/tests/fuzz/corpus/image/jpeg_dht_overflow.jpg";
        QVERIFY2(errorOf([&] { decodeImageFile(found, 3); }).contains("Huffman table (DHT)"),
                 qPrintable(errorOf([&] { decodeImageFile(found, 3); })));
    }

    // A gzip file declaring far more data than it could hold is refused before inflating (a
    // 522 KB IDX.gz grew to 1.1 GB); a real ratio loads.
    void idxGzipBombIsRefused_data() {
        QTest::addColumn<int>("items");
        QTest::addColumn<bool>("refused");
        QTest::newRow("8 MB of zeros in ~8 KB") << (8 << 20) << true;
        QTest::newRow("1 KB of zeros") << 1024 << false;
    }
    void idxGzipBombIsRefused() {
        QFETCH(int, items);
        QFETCH(bool, refused);
        QTemporaryDir dir;
        const std::string path = dir.filePath("labels-idx1-ubyte.gz").toStdString();
        gzFile f = gzopen(path.c_str(), "wb9");
        const unsigned char header[8] = {0, 0, 8, 1, uint8_t(items >> 24), uint8_t(items >> 16),
                                         uint8_t(items >> 8), uint8_t(items)};
        gzwrite(f, header, 8);
        const std::vector<unsigned char> zeros(static_cast<std::size_t>(items), 0);
        gzwrite(f, zeros.data(), static_cast<unsigned>(zeros.size()));
        gzclose(f);
        const QString error = errorOf([&] { readIdx(path); });
        if (refused)
            QVERIFY2(error.contains("more than 200 times the") && error.contains("decompression bomb"),
                     qPrintable(error));
        else
            QCOMPARE(error, QString());
        QVERIFY(errorOf([] { readIdx("/dev/zero"); }).contains("not a regular file"));
    }

    void quotedValuesAreClipped() {
        QCOMPARE(clipForMessage(std::string(20 << 20, 'x')).size(), std::size_t{63});
        QCOMPARE(clipForMessage("short"), std::string("short"));
        // Never cut inside a UTF-8 sequence: "é" is two bytes at 59-60.
        const std::string cut = clipForMessage(std::string(59, 'a') + "\xc3\xa9" + std::string(10, 'b'));
        QCOMPARE(cut, std::string(59, 'a') + "...");
    }

    // Sizes are checked against memory before anything is allocated, and the message says what
    // fits (Dense units 1e8 attempted a 25 GiB allocation).
    void memoryIsCheckedBeforeAllocating_data() {
        QTest::addColumn<double>("available");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plenty") << 1e9 << "";
        QTest::newRow("a smaller batch fits") << 100e3 << "a batch size of at most";
        QTest::newRow("the parameters do not fit") << 10e3 << "alone need";
    }
    void memoryIsCheckedBeforeAllocating() {
        QFETCH(double, available);
        QFETCH(QString, expected);
        const RunSetup s = prepareRun(parseProject(spiralProject(), "spiral", nullptr));
        const QString error = errorOf([&] { checkTrainingMemory(s.project, s.graph, available); });
        if (expected.isEmpty()) {
            QCOMPARE(error, QString());
        } else {
            QVERIFY2(error.startsWith("training this model at batch size 32 needs at least") &&
                         error.contains(expected),
                     qPrintable(error));
            QVERIFY2(error.contains("but this machine has"), qPrintable(error));
            // Limited by the process's cgroup (train/host_memory.h): the message says so.
            const QString limited = errorOf([&] { checkTrainingMemory(s.project, s.graph, available, true); });
            QVERIFY2(limited.contains("the memory limit of this process's cgroup (memory.max) leaves") &&
                         limited.contains(expected),
                     qPrintable(limited));
        }
    }

private:
    static constexpr int kDepth = io::kMaxJsonDepth;
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "test_hostile_files.moc"
