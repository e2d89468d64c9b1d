// SPDX-License-Identifier: GPL-3.0-or-later
// The speaker adversary's gradient reversal (TrainOptions::speakerAdversaryWeight, training only): the value passes
// unchanged and the gradient comes back multiplied by -weight, so the features are trained against the adversary
// while the adversary itself learns normally. The only core test that sees a private (libtorch) header.
#include "net/ResNet.h"
#include <QtTest>

using namespace emoscope;

class TestGradientReversal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valuePassesGradientIsReversed_data()
    {
        QTest::addColumn<double>("weight");
        QTest::newRow("0.3") << 0.3;
        QTest::newRow("0 (no reversal: gradient 0)") << 0.0;
        QTest::newRow("2") << 2.0;
    }

    void valuePassesGradientIsReversed()
    {
        QFETCH(double, weight);
        const torch::Tensor x = torch::tensor({0.5f, -2.0f, 3.0f}).requires_grad_(true);
        const torch::Tensor y = reverseGradient(x, weight);
        QVERIFY(torch::equal(y.detach(), x.detach()));
        const torch::Tensor upstream = torch::tensor({1.0f, 2.0f, -4.0f});
        (y * upstream).sum().backward();
        QVERIFY(torch::allclose(x.grad(), upstream * float(-weight)));
    }

    // Through a layer: the reversed path gives the layer below exactly minus weight times the plain path's gradient,
    // and the layer above (the adversary) gets the same gradient as without reversal.
    void aboveLearnsBelowIsReversed()
    {
        torch::manual_seed(3);
        torch::nn::Linear below(4, 3), above(3, 2);
        const torch::Tensor x = torch::randn({5, 4});
        const torch::Tensor target = torch::tensor({0, 1, 1, 0, 1}, torch::kLong);
        const auto grads = [&](bool reversed) {
            below->zero_grad();
            above->zero_grad();
            const torch::Tensor h = below(x);
            torch::nn::functional::cross_entropy(above(reversed ? reverseGradient(h, 0.5) : h), target).backward();
            return std::pair{below->weight.grad().clone(), above->weight.grad().clone()};
        };
        const auto [belowPlain, abovePlain] = grads(false);
        const auto [belowReversed, aboveReversed] = grads(true);
        QVERIFY(torch::allclose(aboveReversed, abovePlain));
        QVERIFY(torch::allclose(belowReversed, belowPlain * -0.5f));
        QVERIFY(belowPlain.abs().sum().item<float>() > 0);
    }
};

QTEST_APPLESS_MAIN(TestGradientReversal)
#include "test_gradient_reversal.moc"
