// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli train --data DIR [--data DIR2] --split ... --epochs N --out M [options]
#include "CliCommon.h"
#include "ModelCommands.h"
#include "ModelCliSupport.h"
#include "model/ModelError.h"
#include "model/ModelFile.h"
#include "train/EpochHistory.h"
#include "train/Trainer.h"
#include "util/Duration.h"
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace emoscope::cli {

namespace {

const char* kUsage =
    "Usage: emoscope-cli train --data DIR [--data DIR2] --split random|fixed|speaker:SPK[,SPK] --epochs N --out M\n"
    "                          [--from M|scratch] [--seed S] [--batch B] [--lr X] [--no-augment] [--noise] [--warp] [--warp-range R] [--balanced]\n"
    "                          [--checkpoint C] [--resume] [--threads N] [--widths 32,64,128,256] [--blocks N]\n"
    "                          [--dropout P] [--crop FRAMES] [--val-fraction F] [--band-mean] [--weight-decay W]\n"
    "                          [--label-smoothing S] [--feature-cache DIR] [--recipe robust|robust-mixup|robust-stats|robust-bias|robust-long|robust-trim|robust-wide|robust-wide-adversary]\n"
    "                          [--val-speakers F]\n"
    "Trains (from scratch or fine-tuning --from) on the split's train part, keeps the epoch with the best validation\n"
    "UAR (validation carved from the train part), scores the test part and writes the model to --out.\n"
    "--split random on data with split.csv uses that fixed split; clips without one (e.g. RAVDESS) all train.\n"
    "speaker:X,Y tests on those speakers and trains on every other clip of every --data folder.\n"
    "--recipe robust: 16 kHz speech front end (50-8000 Hz, 80 mels), waveform augmentation (noise, rooms, band limits,\n"
    "microphones), per-band mean removal, validation on held-out speakers (--val-speakers, default 0.2 of each\n"
    "corpus's speakers), corpus and label balancing, and a calibration (temperature, \"uncertain\" threshold) fitted on\n"
    "the validation speakers, all scored and kept as a running average of the weights. Options given after it\n"
    "override it. Experiments beside it (see models/README.md): --recipe robust-mixup, the same plus mixup (alpha 0.4);\n"
    "--recipe robust-stats, the same with the mean and deviation over time pooled for the head; --recipe robust-bias,\n"
    "the same with a bias per label fitted with the temperature (a prior correction, in the card's calibration);\n"
    "--recipe robust-long, the same with 3 s training crops instead of 1.9 s; --recipe robust-trim, the same on each\n"
    "clip's speech span only (first to last voice-activity frame, 0.2 s margin), in training and in the model's input;\n"
    "--recipe robust-wide, the same with widths 48,96,192,384 instead of 32,64,128,256, and the temperature whose worst\n"
    "corpus (each --data folder) has the smallest calibration error on the validation speakers: the bundled model's\n"
    "recipe. --recipe robust-wide-adversary: robust-wide plus a speaker adversary in training (a head that tells the\n"
    "training voices apart, trained against through a reversed gradient of weight 0.3); the model file is the same kind.\n"
    "Progress on stderr; a JSON summary on stdout. Ctrl+C stops within one batch and keeps the last checkpoint.\n";

std::vector<int> parseWidths(const std::string& text)
{
    std::vector<int> w;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            const int v = std::stoi(item, &used);
            if (used != item.size()) throw std::invalid_argument("");
            w.push_back(v);
        } catch (const std::exception&) {
            throw UsageError("--widths takes integers separated by commas, got '" + text + "'");
        }
    }
    if (w.empty()) throw UsageError("--widths is empty");
    return w;
}

} // namespace

int runTrain(const std::vector<std::string>& argsIn)
{
    return runCommand("train", kUsage, argsIn, [&] {
        std::vector<std::string> args = argsIn;
        const auto dirs = takeDataDirs(args);
        ArgParser p({"--split", "--epochs", "--out", "--from", "--seed", "--batch", "--lr", "--checkpoint", "--threads",
                     "--widths", "--blocks", "--dropout", "--crop", "--val-fraction", "--weight-decay",
                     "--label-smoothing", "--feature-cache", "--warp-range", "--recipe", "--val-speakers"},
                    {"--no-augment", "--noise", "--warp", "--balanced", "--resume", "--band-mean"});
        p.parse(args);
        refuseStrayArguments(p);
        const std::string out = p.required("--out");
        TrainOptions o;
        if (const auto r = p.value("--recipe")) {
            try {
                applyRecipe(*r, o);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--recipe: ") + e.what());
            }
        }
        // Parse only here; the limits are TrainOptions::validate()'s, the same the GUI and Trainer::run apply.
        o.validationSpeakerFraction = p.number("--val-speakers").value_or(o.validationSpeakerFraction);
        o.epochs = p.integerIn("--epochs", TrainLimits::minEpochs, TrainLimits::maxEpochs).value_or(o.epochs);
        o.seed = static_cast<unsigned long long>(p.integer("--seed").value_or(1));
        o.batchSize = p.integerIn("--batch", TrainLimits::minBatchSize, TrainLimits::maxBatchSize).value_or(o.batchSize);
        o.maxLearningRate = p.number("--lr").value_or(o.maxLearningRate);
        o.weightDecay = p.number("--weight-decay").value_or(o.weightDecay);
        o.labelSmoothing = p.number("--label-smoothing").value_or(o.labelSmoothing);
        if (p.flag("--no-augment")) {
            o.augment = Augmentations{false, false, false, false};
            o.wave.enabled = false;
        }
        if (p.flag("--noise")) o.augment.noise = true;
        if (p.flag("--warp")) o.augment.frequencyWarp = true;
        if (const auto w = p.number("--warp-range")) {
            o.augment.frequencyWarp = true;
            o.augment.frequencyWarpMax = *w;
        }
        if (p.flag("--balanced")) o.balancedSampling = true;
        o.validationFraction = p.number("--val-fraction").value_or(o.validationFraction);
        o.checkpointPath = p.value("--checkpoint").value_or("");
        o.resume = p.flag("--resume");
        o.threads = threadsOption(p);
        o.featureCacheDir = p.value("--feature-cache").value_or("");
        o.fromModel = parseStartFrom(p.value("--from").value_or(kFromScratchWord));
        if (!o.fromScratch())
            for (const char* archOption : {"--widths", "--blocks", "--dropout", "--crop", "--band-mean"})
                if (p.value(archOption) || p.flag(archOption))
                    throw UsageError(std::string(archOption) + " only applies to --from scratch");
        if (const auto w = p.value("--widths")) o.arch.widths = parseWidths(*w);
        o.arch.blocksPerStage = p.integerIn("--blocks", 1, TrainLimits::maxBlocksPerStage).value_or(o.arch.blocksPerStage);
        o.arch.dropout = p.number("--dropout").value_or(o.arch.dropout);
        o.input.trainCropFrames = p.integerIn("--crop", 1, TrainLimits::maxCropFrames).value_or(o.input.trainCropFrames);
        if (p.flag("--band-mean")) o.perUtteranceBandMean = true;
        validateTrainOptionsForCli(o);

        // Files, before any work: outputs writable and distinct from the inputs, the start model readable, and a
        // checkpoint to resume from present (--resume without one used to start over silently).
        std::vector<std::pair<std::string, std::string>> inputs;
        for (const auto& d : dirs) inputs.emplace_back("--data", d);
        if (o.fromModel) inputs.emplace_back("--from", *o.fromModel);
        checkOutputPath("--out", out, inputs);
        if (!o.checkpointPath.empty()) {
            inputs.emplace_back("--out", out);
            checkOutputPath("--checkpoint", o.checkpointPath, inputs);
            std::error_code ec;
            if (o.resume && !std::filesystem::is_regular_file(o.checkpointPath, ec))
                throw UsageError("--resume: checkpoint '" + o.checkpointPath + "' does not exist");
        }
        if (o.fromModel) {
            try {
                (void)readModelCard(*o.fromModel); // a bad --from is the user's input: exit 2 before any work
            } catch (const ModelError& e) {
                throw InputError(e.what());
            }
        }
        const std::string splitText = p.value("--split").value_or("random");
        const Dataset ds = loadDatasetsForCli(dirs);
        // The one resolution rule and its words, shared with the GUI (random on data with split.csv = that split).
        const ResolvedSplit resolved = resolveSplit(ds, parseSplitSpec(splitText));
        const Split& split = resolved.split;
        o.splitDescription = resolved.description;
        o.command = commandLine("train", argsIn);
        std::cerr << "train: " << split.train.size() << " clips (validation carved from these), test: "
                  << split.test.size() << " clips, split " << o.splitDescription << std::endl;

        Trainer trainer(ds, split, o);
        const bool tty = isatty(STDERR_FILENO);
        TrainCallbacks cb = stderrProgressCallbacks();
        cb.onBatch = [&](const BatchProgress& b) {
            if (!tty) return;
            const int width = 24;
            const int filled = b.batches ? b.batch * width / b.batches : 0;
            std::cerr << "\repoch " << b.epoch << "/" << b.epochs << " [" << std::string(filled, '#')
                      << std::string(width - filled, '.') << "] batch " << b.batch << "/" << b.batches << " loss "
                      << std::fixed << std::setprecision(3) << b.loss << " acc " << std::setprecision(1)
                      << 100 * b.accuracy << "% ETA " << formatDuration(b.etaSeconds) << "   " << std::flush;
        };
        cb.onEpoch = [&](const EpochReport& e) {
            std::cerr << (tty ? "\r" : "") << "epoch " << e.epoch << "/" << o.epochs << " loss " << std::fixed
                      << std::setprecision(3) << e.trainLoss << " acc " << std::setprecision(1) << 100 * e.trainAccuracy
                      << "% | val loss " << std::setprecision(3) << e.validationLoss << " acc " << std::setprecision(1)
                      << 100 * e.validationAccuracy << "% UAR " << 100 * e.validationUar << "% | "
                      << formatDuration(e.seconds) << (e.best ? " *" : "") << "                    " << std::endl;
        };

        const TrainResult r = [&] {
            const CancelOnSigint cancel;
            return modelErrorsAsInput([&] { return trainer.run(cb, cancel.flag()); });
        }();
        nlohmann::json summary{{"out", out},
                               {"cancelled", r.cancelled},
                               {"best_epoch", r.bestEpoch},
                               {"epochs", o.epochs},
                               {"resumed_from_epoch", r.resumedFromEpoch},
                               {"train_clips", r.trainClips},
                               {"validation_clips", r.validationClips},
                               {"test_clips", r.testClips},
                               {"seconds", r.seconds},
                               {"split", o.splitDescription},
                               {"history", nlohmann::json::parse(epochHistoryToJson(r.history))}};
        if (r.cancelled) {
            std::cerr << "\ncancelled; no model written"
                      << (o.checkpointPath.empty() ? "" : ", checkpoint kept at " + o.checkpointPath +
                                                              " (continue with --resume)")
                      << std::endl;
            printJsonLine(summary);
            return ExitCancelled;
        }
        trainer.saveModel(out);
        if (r.test.total() > 0) summary["test"] = nlohmann::json::parse(r.test.toJson());
        printJsonLine(summary);
        if (r.test.total() > 0)
            std::cerr << "test: accuracy " << std::fixed << std::setprecision(2) << 100 * r.test.accuracy << "% UAR "
                      << 100 * r.test.uar << "% on " << r.test.total() << " clips; model written to " << out << std::endl;
        else
            std::cerr << "model written to " << out << std::endl;
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
