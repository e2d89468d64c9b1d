// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core: a small least-recently-used map of shared values (not thread-safe: callers lock).
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <utility>
#include <vector>

namespace emoscope {

// At most `capacity` entries; a hit moves the entry to the front, an insert past capacity drops the oldest.
// Linear search: the capacities are a handful of entries. Values are shared_ptr so users keep an evicted value alive.
template <typename Key, typename Value>
class LruCache {
public:
    explicit LruCache(std::size_t capacity) : capacity_(capacity) {}

    std::shared_ptr<Value> find(const Key& key)
    {
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->first == key) {
                entries_.splice(entries_.begin(), entries_, it);
                return entries_.front().second;
            }
        return nullptr;
    }

    // Returns the evicted values so the caller can release them outside its lock.
    std::vector<std::shared_ptr<Value>> insert(const Key& key, std::shared_ptr<Value> value)
    {
        std::vector<std::shared_ptr<Value>> evicted;
        entries_.emplace_front(key, std::move(value));
        while (entries_.size() > capacity_) {
            evicted.push_back(std::move(entries_.back().second));
            entries_.pop_back();
        }
        return evicted;
    }

    std::size_t size() const { return entries_.size(); }

private:
    std::size_t capacity_;
    std::list<std::pair<Key, std::shared_ptr<Value>>> entries_;
};

} // namespace emoscope
