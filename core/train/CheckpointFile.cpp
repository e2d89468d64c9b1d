// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/CheckpointFile.h"
#include "model/ModelInventory.h"
#include "train/Checkpoint.h"
#include "train/RunSupport.h"
#include "model/ModelError.h"
#include "util/AtomicFile.h"
#include "util/JsonNesting.h"
#include <nlohmann/json.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>

namespace emoscope {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "emoscope-checkpoint";
constexpr int kVersion = 2; // 1 was the TorchScript archive

std::vector<torch::Tensor> optimizerParams(torch::optim::AdamW& optimizer)
{
    std::vector<torch::Tensor> out;
    for (auto& g : optimizer.param_groups())
        for (auto& p : g.params()) out.push_back(p);
    return out;
}

std::string stateKey(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

// Appends a tensor to the list to write; `keep` owns the contiguous copy the entry points into.
void add(std::vector<ContainerTensor>& out, std::vector<torch::Tensor>& keep, std::string name, const torch::Tensor& t)
{
    const bool isFloat = t.scalar_type() == torch::kFloat;
    torch::Tensor c = t.detach().contiguous().to(isFloat ? torch::kFloat : torch::kLong);
    keep.push_back(c);
    out.push_back({std::move(name), std::uint8_t(isFloat ? 0 : 1), c.sizes().vec(), static_cast<const char*>(c.data_ptr()),
                   c.nbytes()});
}

template <typename T> T field(const json& j, const char* key, T lo, T hi)
{
    if (!j.contains(key) || !j.at(key).is_number()) throw std::invalid_argument(std::string(key) + ": missing or not a number");
    const double d = j.at(key).get<double>();
    if (!(d >= double(lo) && d <= double(hi))) throw std::invalid_argument(std::string(key) + ": out of range");
    return j.at(key).get<T>();
}

std::string text(const json& j, const char* key)
{
    if (!j.contains(key) || !j.at(key).is_string()) throw std::invalid_argument(std::string(key) + ": missing");
    return j.at(key).get<std::string>();
}

} // namespace

CheckpointFile CheckpointFile::read(const std::string& path)
{
    CheckpointFile c;
    c.path_ = path;
    c.file_ = readContainerFile(path, kCheckpointContainer);
    try {
        checkJsonNesting(c.file_.json, 8, 4u << 20);
        const json j = json::parse(c.file_.json);
        if (!j.is_object() || text(j, "format") != kFormat) throw std::invalid_argument("format is not " + std::string(kFormat));
        if (field<int>(j, "version", 0, 1000) != kVersion)
            throw std::invalid_argument("unsupported checkpoint version " + j.at("version").dump());
        CheckpointState& s = c.state_;
        s.cardJson = text(j, "card");
        s.epoch = field<int>(j, "epoch", 0, 1000000);
        s.bestEpoch = field<int>(j, "best_epoch", 0, s.epoch);
        s.bestUar = field<double>(j, "best_uar", -1.0, 1.0);
        s.bestValLoss = field<double>(j, "best_val_loss", -1e308, 1e308);
        s.historyJson = text(j, "history");
        checkJsonNesting(s.historyJson, 8, 4u << 20);
        s.fingerprint = text(j, "fingerprint");
        if (!j.contains("adam_steps") || !j.at("adam_steps").is_array() || !j.contains("lr") || !j.at("lr").is_array())
            throw std::invalid_argument("optimiser state missing");
        for (const json& v : j.at("adam_steps")) {
            if (!v.is_number_integer() || v.get<long long>() < -1 || v.get<long long>() > (1ll << 40))
                throw std::invalid_argument("adam_steps: out of range");
            s.adamSteps.push_back(v.get<long long>());
        }
        for (const json& v : j.at("lr")) {
            if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() < 1e6)) throw std::invalid_argument("lr: out of range");
            s.learningRates.push_back(v.get<double>());
        }
        if (j.contains("average_updates")) s.averageUpdates = field<long long>(j, "average_updates", 0, 1ll << 40);
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("unusable checkpoint: ") + e.what());
    }
    return c;
}

void CheckpointFile::write(const std::string& path, const CheckpointState& state, const ResNet& net, const ResNet& best,
                           torch::optim::AdamW& optimizer, const ResNet* average)
{
    std::vector<ContainerTensor> tensors;
    std::vector<torch::Tensor> keep;
    for (const auto& [name, t] : namedState(*net)) add(tensors, keep, "net/" + name, t);
    for (const auto& [name, t] : namedState(*best)) add(tensors, keep, "best/" + name, t);
    if (average)
        for (const auto& [name, t] : namedState(**average)) add(tensors, keep, "average/" + name, t);
    json steps = json::array();
    const std::vector<torch::Tensor> params = optimizerParams(optimizer);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto it = optimizer.state().find(stateKey(params[i]));
        if (it == optimizer.state().end()) {
            steps.push_back(-1);
            continue;
        }
        const auto& st = static_cast<const torch::optim::AdamWParamState&>(*it->second);
        steps.push_back(st.step());
        const std::string n = "adam/" + std::to_string(i) + "/";
        add(tensors, keep, n + "exp_avg", st.exp_avg());
        add(tensors, keep, n + "exp_avg_sq", st.exp_avg_sq());
        if (st.max_exp_avg_sq().defined()) add(tensors, keep, n + "max_exp_avg_sq", st.max_exp_avg_sq());
    }
    json lr = json::array();
    for (auto& g : optimizer.param_groups()) lr.push_back(static_cast<torch::optim::AdamWOptions&>(g.options()).lr());
    json j{{"format", kFormat},
                 {"version", kVersion},
                 {"card", state.cardJson},
                 {"epoch", state.epoch},
                 {"best_epoch", state.bestEpoch},
                 {"best_uar", state.bestUar},
                 {"best_val_loss", state.bestValLoss},
                 {"history", state.historyJson},
                 {"fingerprint", state.fingerprint},
                 {"adam_steps", steps},
                 {"lr", lr}};
    if (average) j["average_updates"] = std::max(0ll, state.averageUpdates);
    writeBytesAtomically(path, packContainer(kCheckpointContainer, j.dump(), tensors));
}

bool CheckpointFile::restore(ResNet& net, ResNet& best, torch::optim::AdamW& optimizer, ResNet* average) const
{
    const auto fail = [&](const std::string& why) { throw ModelError(path_, "unusable checkpoint: " + why); };
    std::map<std::string, const ContainerTensor*> stored;
    for (const ContainerTensor& t : file_.tensors)
        if (!stored.emplace(t.name, &t).second) fail("tensor '" + t.name + "' stored twice");
    // Every target tensor with the stored tensor that will be copied into it, all checked before any copy.
    std::vector<std::pair<torch::Tensor, const ContainerTensor*>> plan;
    const auto match = [&](const std::string& name, const torch::Tensor& dst) {
        const auto it = stored.find(name);
        if (it == stored.end()) fail("tensor '" + name + "' missing");
        const ContainerTensor& t = *it->second;
        if (t.dims != dst.sizes().vec()) fail("shape of '" + name + "' differs from the model's");
        if ((t.dtype == 0) != (dst.scalar_type() == torch::kFloat)) fail("type of '" + name + "' differs from the model's");
        if (t.dtype == 0) {
            const float* v = reinterpret_cast<const float*>(t.data); // may be unaligned: read through memcpy
            for (std::size_t k = 0; k < t.bytes / 4; ++k) {
                float x;
                std::memcpy(&x, reinterpret_cast<const char*>(v) + 4 * k, 4);
                if (!std::isfinite(x)) fail("non-finite values in '" + name + "'");
            }
        }
        plan.emplace_back(dst, &t);
    };
    for (const auto& [name, t] : namedState(*net)) match("net/" + name, t);
    for (const auto& [name, t] : namedState(*best)) match("best/" + name, t);
    // A stored average is checked even when the caller has no use for it (then it is only not copied).
    const bool hasAverage = state_.averageUpdates >= 0;
    std::size_t averageTensors = 0;
    if (hasAverage) {
        const ResNet shape = average ? *average : cloneNet(net);
        const std::size_t before = plan.size();
        for (const auto& [name, t] : namedState(*shape)) match("average/" + name, t);
        averageTensors = plan.size() - before;
        if (!average) plan.resize(before);
    }
    const std::vector<torch::Tensor> params = optimizerParams(optimizer);
    if (state_.adamSteps.size() != params.size()) fail("optimiser state for a different model");
    if (state_.learningRates.size() != optimizer.param_groups().size()) fail("optimiser groups differ");
    std::vector<std::unique_ptr<torch::optim::AdamWParamState>> adam(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (state_.adamSteps[i] < 0) continue;
        const std::string n = "adam/" + std::to_string(i) + "/";
        adam[i] = std::make_unique<torch::optim::AdamWParamState>();
        adam[i]->step(state_.adamSteps[i]);
        adam[i]->exp_avg(torch::zeros_like(params[i]));
        adam[i]->exp_avg_sq(torch::zeros_like(params[i]));
        match(n + "exp_avg", adam[i]->exp_avg());
        match(n + "exp_avg_sq", adam[i]->exp_avg_sq());
        if (stored.count(n + "max_exp_avg_sq")) {
            adam[i]->max_exp_avg_sq(torch::zeros_like(params[i]));
            match(n + "max_exp_avg_sq", adam[i]->max_exp_avg_sq());
        }
    }
    if (plan.size() + (hasAverage && !average ? averageTensors : 0) != file_.tensors.size())
        fail("unexpected tensors stored");

    torch::NoGradGuard noGrad;
    for (auto& [dst, t] : plan) {
        // from_blob needs aligned data: copy the bytes into a fresh tensor first.
        torch::Tensor src = torch::empty(t->dims, t->dtype == 0 ? torch::kFloat : torch::kLong);
        std::memcpy(src.data_ptr(), t->data, t->bytes);
        dst.copy_(src);
    }
    optimizer.state().clear();
    for (std::size_t i = 0; i < params.size(); ++i)
        if (adam[i]) optimizer.state()[stateKey(params[i])] = std::move(adam[i]);
    for (std::size_t g = 0; g < optimizer.param_groups().size(); ++g)
        static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[g].options()).lr(state_.learningRates[g]);
    return hasAverage && average;
}

CheckpointInfo readCheckpoint(const std::string& path)
{
    const CheckpointFile file = CheckpointFile::read(path);
    return file.inspect();
}

CheckpointInfo CheckpointFile::inspect() const
{
    const auto fail = [&](const std::string& why) { throw ModelError(path_, "unusable checkpoint: " + why); };
    CheckpointInfo info;
    try {
        info.card = ModelCard::fromJson(state_.cardJson);
    } catch (const std::exception& e) {
        fail(std::string("bad model card: ") + e.what());
    }
    info.epoch = state_.epoch;
    info.bestEpoch = state_.bestEpoch;
    const std::vector<TensorSpec> specs = expectedInventory(info.card.arch, int(info.card.labels.size()));
    std::map<std::string, const ContainerTensor*> stored;
    for (const ContainerTensor& t : file_.tensors)
        if (!stored.emplace(t.name, &t).second) fail("tensor '" + t.name + "' stored twice");
    std::size_t expected = 0;
    const auto need = [&](const std::string& name, const TensorSpec& spec) {
        const auto it = stored.find(name);
        if (it == stored.end()) fail("tensor '" + name + "' missing");
        if (it->second->dims != spec.dims || (it->second->dtype == 0) != spec.isFloat)
            fail("shape or type of '" + name + "' differs from the card's network");
        ++expected;
    };
    for (const char* prefix : {"net/", "best/"})
        for (const TensorSpec& spec : specs) need(prefix + spec.name, spec);
    if (state_.averageUpdates >= 0)
        for (const TensorSpec& spec : specs) need("average/" + spec.name, spec);
    // The optimiser's parameters are the network's parameters (not its buffers), in the same order.
    std::vector<TensorSpec> params;
    for (const TensorSpec& spec : specs)
        if (spec.name.find("running_") == std::string::npos && spec.name.find("num_batches_tracked") == std::string::npos)
            params.push_back(spec);
    if (state_.adamSteps.size() != params.size()) fail("optimiser state for a different model");
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (state_.adamSteps[i] < 0) continue;
        const std::string n = "adam/" + std::to_string(i) + "/";
        need(n + "exp_avg", params[i]);
        need(n + "exp_avg_sq", params[i]);
        if (stored.count(n + "max_exp_avg_sq")) need(n + "max_exp_avg_sq", params[i]);
    }
    if (expected != file_.tensors.size()) fail("unexpected tensors stored");
    return info;
}

} // namespace emoscope
