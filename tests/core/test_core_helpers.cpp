// SPDX-License-Identifier: GPL-3.0-or-later
// The single-copy helpers every front end uses: CRC-32, argmax, duration text, colour-map index, epoch history JSON.
#include "train/EpochHistory.h"
#include "util/Argmax.h"
#include "util/ColorMaps.h"
#include "util/Crc32.h"
#include "util/Duration.h"

#include <QtTest>
#include <cmath>
#include <limits>
#include <string>

using namespace emoscope;

class TestCoreHelpers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crc32MatchesTheStandardCheckValue()
    {
        const std::string check = "123456789";
        QCOMPARE(crc32(check.data(), check.size()), 0xCBF43926u);
        QCOMPARE(crc32(nullptr, 0), 0u);
        // Continuing over pieces gives the checksum of the whole.
        QCOMPARE(crc32(check.data() + 4, 5, crc32(check.data(), 4)), 0xCBF43926u);
    }

    void argmaxTakesTheFirstLargest()
    {
        QCOMPARE(argmax({}), -1);
        QCOMPARE(argmax({0.1f, 0.7f, 0.2f}), 1);
        QCOMPARE(argmax({0.5f, 0.5f}), 0);
    }

    void durationsReadLikeAClock()
    {
        QCOMPARE(formatDuration(0), std::string("0:00"));
        QCOMPARE(formatDuration(7.4), std::string("0:07"));
        QCOMPARE(formatDuration(59.6), std::string("1:00"));
        QCOMPARE(formatDuration(725), std::string("12:05"));
        QCOMPARE(formatDuration(3723), std::string("1:02:03"));
        QCOMPARE(formatDuration(-5), std::string("0:00"));
        QCOMPARE(formatDuration(std::numeric_limits<double>::quiet_NaN()), std::string("0:00"));
    }

    void colorIndexClampsAndRounds()
    {
        QCOMPARE(colorIndex(-80.0, -80.0, 0.0), std::size_t(0));
        QCOMPARE(colorIndex(-100.0, -80.0, 0.0), std::size_t(0));
        QCOMPARE(colorIndex(0.0, -80.0, 0.0), std::size_t(255));
        QCOMPARE(colorIndex(10.0, -80.0, 0.0), std::size_t(255));
        QCOMPARE(colorIndex(-40.0, -80.0, 0.0), std::size_t(128)); // 127.5 rounds up
        QCOMPARE(colorIndex(std::nan(""), -80.0, 0.0), std::size_t(0));
    }

    void epochHistoryRoundTrips()
    {
        // epoch, train loss and accuracy, validation loss, accuracy and UAR, seconds, best
        const EpochReport a{1, 1.5, 0.25, 1.25, 0.5, 0.375, 2.0, true};
        EpochReport b = a;
        b.epoch = 2;
        b.best = false;
        const std::string text = epochHistoryToJson({a, b});
        QVERIFY(text.find("\"validation_uar\":0.375") != std::string::npos);
        const auto back = epochHistoryFromJson(text);
        QCOMPARE(int(back.size()), 2);
        QCOMPARE(back[0].epoch, 1);
        QCOMPARE(back[0].validationUar, 0.375);
        QCOMPARE(back[0].best, true);
        QCOMPARE(back[1].best, false);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, epochHistoryFromJson("[{\"epoch\": 1}]"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, epochHistoryFromJson("not json"));
    }
};

QTEST_APPLESS_MAIN(TestCoreHelpers)
#include "test_core_helpers.moc"
