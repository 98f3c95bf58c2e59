// Shape arithmetic and printing, including the symbolic batch.
#include <QtTest>

#include "core/error.h"
#include "core/shape.h"

using neurite::Shape;

class TestShape : public QObject {
    Q_OBJECT
private slots:
    void printsSymbolicBatch() {
        QCOMPARE(QString::fromStdString(Shape({Shape::kBatch, 1, 28, 28}).str()),
                 QString("[N,1,28,28]"));
    }
    void numelIgnoresBatch() {
        QCOMPARE(Shape({Shape::kBatch, 3, 4}).numel(), int64_t(12));
        QCOMPARE(Shape({5, 3, 4}).numelFrom(1), int64_t(12));
    }
    void withBatchBinds() {
        Shape s = Shape({Shape::kBatch, 2}).withBatch(7);
        QCOMPARE(s, Shape({7, 2}));
        QVERIFY(!s.hasSymbolicBatch());
    }
    void rankLimitThrows() {
        Shape s({1, 2, 3, 4, 5, 6});
        QVERIFY_THROWS_EXCEPTION(neurite::Error, s.push(7));
    }
};

QTEST_APPLESS_MAIN(TestShape)
#include "test_shape.moc"
