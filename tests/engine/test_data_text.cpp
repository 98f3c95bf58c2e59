// Text data: the tokenizer's rules (words and characters, lowercasing beyond ASCII, apostrophes,
// punctuation), UTF-8 validation, the vocabulary (frequency order, ties, the size cap, min_count,
// out-of-vocabulary and padding ids, truncation from the start, the automatic length), and the
// text: source on files the test writes: CSV/TSV tables, class folders with train/test, fortune
// files, the vocabulary fitted on the training split only, and every bad input the issue names
// (not UTF-8, empty texts, a missing label column) with the file and line in the message.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "data/data_source.h"
#include "data/text/text_vocabulary.h"
#include "support/data_source_helpers.h"

using namespace neurite;
using namespace neurite::test;

namespace {

QStringList q(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v) out << QString::fromStdString(s);
    return out;
}

std::vector<float> encoded(const TextVocabulary& v, const std::string& text) {
    std::vector<float> ids(static_cast<std::size_t>(v.settings.length));
    v.encode(text, ids.data());
    return ids;
}

Dataset loadSplit(const std::string& spec, double validation = 0.25, double test = 0) {
    DataConfig cfg;
    cfg.source = spec;
    cfg.validationSplit = validation;
    cfg.testSplit = test;
    return loadDataset(cfg, 3);
}

}  // namespace

class TestDataText : public QObject {
    Q_OBJECT
private slots:
    void words() {
        QCOMPARE(q(tokenize("Don't STOP\xe2\x80\x94now!  It\xe2\x80\x99s 3.5 km, 'quoted' x2", false, true)),
                 (QStringList{"don't", "stop", "now", "it's", "3", "5", "km", "quoted", "x2"}));
        // Latin-1, Latin Extended-A, Greek and Cyrillic lowercase; other scripts stay; the
        // inverted marks and guillemets are punctuation.
        QCOMPARE(q(tokenize("\xc2\xbf" "Caf\xc3\x89 \xc5\x81\xc3\xb3" "d\xc5\xba? \xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91 "
                            "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90 \xc2\xab\xe6\x9d\xb1\xe4\xba\xac\xc2\xbb",
                            false, true)),
                 (QStringList{"caf\xc3\xa9", "\xc5\x82\xc3\xb3" "d\xc5\xba", "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1",
                              "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", "\xe6\x9d\xb1\xe4\xba\xac"}));
        QCOMPARE(q(tokenize("Hello World", false, false)), (QStringList{"Hello", "World"}));
        QVERIFY(tokenize(" ,.;!? -- ... \t\n", false, true).empty());
        QCOMPARE(q(tokenize("'tis rock'n'roll' ", false, true)), (QStringList{"tis", "rock'n'roll"}));
    }

    void characters() {
        QCOMPARE(q(tokenize("  Ab,\t\n c\xc3\x89  ", true, true)), (QStringList{"a", "b", ",", " ", "c", "\xc3\xa9"}));
        QCOMPARE(q(tokenize("Ab", true, false)), (QStringList{"A", "b"}));
    }

    void utf8Validation() {
        QCOMPARE(invalidUtf8At("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string_view::npos);
        QCOMPARE(invalidUtf8At("ab\xe9" "cd"), std::size_t(2));          // Latin-1 byte
        QCOMPARE(invalidUtf8At("\xc0\xaf"), std::size_t(0));             // overlong '/'
        QCOMPARE(invalidUtf8At("x\xed\xa0\x80"), std::size_t(1));        // a surrogate
        QCOMPARE(invalidUtf8At("xy\xe2\x82"), std::size_t(2));           // truncated
        QCOMPARE(invalidUtf8At("\xf4\x90\x80\x80"), std::size_t(0));     // past U+10FFFF
        // invalid bytes tokenize as U+FFFD, which separates words
        QCOMPARE(q(tokenize("ab\xff" "cd", false, true)), (QStringList{"ab", "cd"}));
    }

    void vocabularyOrderCapAndIds() {
        TextSettings s;
        s.maxVocabulary = 5;  // padding, unknown and 3 tokens
        s.length = 4;
        // counts: b 3, a 2, c 2 (a seen first), d 1
        const TextVocabulary v = TextVocabulary::fit({"b a c", "c b d", "a b"}, s);
        QCOMPARE(q(v.tokens), (QStringList{"b", "a", "c"}));
        QCOMPARE(v.size(), int64_t(5));
        QCOMPARE(v.id("b"), int64_t(2));
        QCOMPARE(v.id("d"), kTextUnknownId);
        // shorter: padded with 0 in front; longer: the start is cut, the last token stays last
        QCOMPARE(encoded(v, "a d"), (std::vector<float>{0, 0, 3, 1}));
        QCOMPARE(encoded(v, "c a b d c b"), (std::vector<float>{2, 1, 4, 2}));
        QCOMPARE(encoded(v, ""), (std::vector<float>{0, 0, 0, 0}));
        QCOMPARE(v.tokenOf(0), std::string("<pad>"));
        QCOMPARE(v.tokenOf(1), std::string("<unk>"));
        QCOMPARE(v.tokenOf(4), std::string("c"));

        TextSettings m;
        m.minCount = 2;
        m.length = 2;
        QCOMPARE(q(TextVocabulary::fit({"b a c", "c b d", "a b"}, m).tokens), (QStringList{"b", "a", "c"}));
        m.minCount = 3;
        QCOMPARE(q(TextVocabulary::fit({"b a c", "c b d", "a b"}, m).tokens), (QStringList{"b"}));
    }

    void automaticLength() {
        std::vector<std::string> texts;
        for (int n = 1; n <= 100; ++n) {  // 1..100 words: the 95th percentile is 95
            std::string t;
            for (int k = 0; k < n; ++k) t += "w ";
            texts.push_back(t);
        }
        QCOMPARE(TextVocabulary::fit(texts, {}).settings.length, int64_t(95));
        texts.assign(3, std::string(2000, 'x') + " y");
        TextSettings c;
        c.characters = true;
        QCOMPARE(TextVocabulary::fit(texts, c).settings.length, int64_t(500));  // capped
        QCOMPARE(TextVocabulary::fit({"", ""}, {}).settings.length, int64_t(1));
    }

    void restoreRefusesBadVocabularies() {
        TextSettings s;
        s.length = 3;
        QCOMPARE(TextVocabulary::restore(s, {"a", "b"}).id("b"), int64_t(3));
        QVERIFY(errorOf([&] { TextVocabulary::restore(s, {"a", "a"}); }).contains("appears twice"));
        QVERIFY(errorOf([&] { TextVocabulary::restore(s, {"a", ""}); }).contains("empty token"));
        s.length = 0;
        QVERIFY(errorOf([&] { TextVocabulary::restore(s, {"a"}); }).contains("length"));
    }

    // The vocabulary comes from the training split only: a word only in validation texts is
    // out of vocabulary there, and every training word is in it.
    void tableSourceFitsOnTrainingOnly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("reviews.csv").toStdString();
        std::string csv = "id,review,sentiment\n";
        for (int i = 0; i < 40; ++i)
            csv += std::to_string(i) + ",\"" + (i % 2 ? "good fine" : "bad awful") + " word" + std::to_string(i) +
                   ", really\"," + (i % 2 ? "pos" : "neg") + "\n";
        writeText(path, csv);
        const Dataset ds = loadSplit("text:" + path + "?length=5");
        QCOMPARE(ds.sampleShape, Shape{5});
        QCOMPARE(ds.numClasses, 2);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"neg", "pos"}));
        QCOMPARE(ds.train.count + ds.validation.count, int64_t(40));
        QCOMPARE(ds.validation.count, int64_t(10));
        QCOMPARE(ds.text.size(), int64_t(2 + 5 + 30));  // good fine bad awful really + 30 numbered words
        std::set<std::string> trainWords;
        for (const std::string& t : ds.train.texts)
            for (const std::string& w : tokenize(t, false, true)) trainWords.insert(w);
        QCOMPARE(trainWords.size(), ds.text.tokens.size());
        for (int64_t i = 0; i < ds.validation.count; ++i) {
            const std::vector<std::string> words = tokenize(ds.validation.texts[std::size_t(i)], false, true);
            const float* ids = ds.validation.f32() + i * 5;
            QCOMPARE(ids[0], 0.f);  // 4 words, padded in front
            for (std::size_t k = 0; k < words.size(); ++k)
                QCOMPARE(ids[1 + k], float(trainWords.count(words[k]) ? ds.text.id(words[k]) : kTextUnknownId));
            QCOMPARE(ids[3], 1.f);  // wordN was never seen in training
        }
        QCOMPARE(dataInfo(ds).vocabularySize, ds.text.size());
        bool noted = false;
        for (const std::string& n : ds.notes) noted = noted || n.find("out of vocabulary") != std::string::npos;
        QVERIFY(noted);
    }

    void tsvAndOptions() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.tsv").toStdString();
        writeText(path, "label\ttext\n1\tAB ab\n2\tCd\n1\tab, ab\n");
        Dataset ds = loadSplit("text:" + path + "?lowercase=no&length=3", 0);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"1", "2"}));
        QCOMPARE(q(ds.text.tokens), (QStringList{"ab", "AB", "Cd"}));
        ds = loadSplit("text:" + path + "?level=char&length=4", 0);
        QCOMPARE(q(ds.text.tokens), (QStringList{"a", "b", " ", "c", "d", ","}));
        // a table with other column names, picked by name and by index
        const std::string other = dir.filePath("o.csv").toStdString();
        writeText(other, "body,topic\nx y,a\ny z,b\n");
        QCOMPARE(loadSplit("text:" + other + "?text=body&label=1&length=2", 0).numClasses, 2);
    }

    void foldersWithTrainAndTest() {
        QTemporaryDir dir;
        namespace fs = std::filesystem;
        const fs::path root = dir.path().toStdString();
        for (const char* split : {"train", "test"})
            for (const char* cls : {"ham", "spam"}) {
                fs::create_directories(root / split / cls);
                for (int i = 0; i < 3; ++i)
                    writeText((root / split / cls / (std::to_string(i) + ".txt")).string(),
                              std::string(cls) + " text " + std::to_string(i));
            }
        writeText((root / "train" / "ham" / "readme.md").string(), "not a text sample");
        writeText((root / "train" / "spam" / "empty.txt").string(), "  \n");
        const Dataset ds = loadSplit("text:" + root.string(), 0);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"ham", "spam"}));
        QCOMPARE(ds.train.count, int64_t(6));
        QCOMPARE(ds.test.count, int64_t(6));
        QCOMPARE(ds.sampleShape, Shape{3});
        bool noted = false;
        for (const std::string& n : ds.notes) noted = noted || n.find("1 empty text files were left out") != std::string::npos;
        QVERIFY(noted);
    }

    void fortuneFiles() {
        QTemporaryDir dir;
        writeText(dir.filePath("cats").toStdString(), "A _\bc_\ba_\bt sat.\n%\nMeow\n%\n");
        writeText(dir.filePath("dogs").toStdString(), "Woof!\n  -- a dog\n%\nFetch\n");
        writeText(dir.filePath("dogs.dat").toStdString(), "index");
        const Dataset ds = loadSplit("text:" + dir.path().toStdString() + "?format=fortune", 0);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(ds.train.count, int64_t(4));
        QCOMPARE(ds.train.texts[0], std::string("A cat sat.\n"));  // overstrikes reduced
        QCOMPARE(ds.train.texts[2], std::string("Woof!\n  -- a dog\n"));
    }

    void badInputsNameTheFileAndLine() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.csv").toStdString();
        writeText(path, "text,label\nfine,a\ncaf\xe9,b\n");
        QString e = errorOf([&] { load("text:" + path); });
        QVERIFY2(e.contains("bad.csv") && e.contains("line 3") && e.contains("UTF-8"), qPrintable(e));
        QVERIFY(errorOf([&] { load("text:" + path + "?encoding=latin1"); }) == "no error");

        writeText(path, "text,kind\nx,a\ny,b\n");
        e = errorOf([&] { load("text:" + path); });
        QVERIFY2(e.contains("no label column") && e.contains("\"kind\""), qPrintable(e));
        e = errorOf([&] { load("text:" + path + "?label=topic"); });
        QVERIFY2(e.contains("no label column \"topic\""), qPrintable(e));

        writeText(path, "text,label\nx,a\n  ,b\ny,\nz,b\n");
        const Dataset ds = load("text:" + path);
        QCOMPARE(ds.train.count, int64_t(2));
        QCOMPARE(ds.notes.size(), std::size_t(2));
        QVERIFY2(QString::fromStdString(ds.notes[0]).contains("empty text") &&
                     QString::fromStdString(ds.notes[0]).contains("lines 3"),
                 ds.notes[0].c_str());
        QVERIFY(QString::fromStdString(ds.notes[1]).contains("without a label were left out (lines 4"));

        writeText(path, "text,label\n,a\n ,b\n");
        QVERIFY(errorOf([&] { load("text:" + path); }).contains("0 rows with a text and a label"));
        writeText(path, "text,label\n...,a\n!!,b\n");
        QVERIFY(errorOf([&] { loadSplit("text:" + path, 0); }).contains("hold no words"));
        writeText(path, "text,label\nx,a\ny,a\n");
        QVERIFY(errorOf([&] { load("text:" + path); }).contains("at least 2"));
        QVERIFY(errorOf([&] { load("text:" + dir.filePath("none.csv").toStdString()); }).contains("does not exist"));
        QVERIFY(errorOf([&] { load("text:" + path + "?lenght=3"); }).contains("lenght"));
        QVERIFY(errorOf([&] { load("text:/dev/zero"); }) != "no error");
        DataConfig cfg;
        cfg.source = "text:" + dir.filePath("bad.csv").toStdString();
        writeText(cfg.source.substr(5), "text,label\nx y,a\ny z,b\nz x,a\nx x,b\n");
        cfg.balance = "smote";
        cfg.validationSplit = 0;
        QVERIFY(errorOf([&] { loadDataset(cfg, 1); }).contains("token ids"));
    }
};

QTEST_APPLESS_MAIN(TestDataText)
#include "test_data_text.moc"
