#include "storage/group_writer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"

namespace hb::storage {

GroupWriter::GroupWriter(size_t max_group, ResourceCache& cache, FactsCache& facts, RunGroupFn run)
    : max_group_(std::max<size_t>(max_group, 1)),
      cache_(cache),
      facts_(facts),
      run_(std::move(run)),
      thread_([this] { Loop(); }) {}

void GroupWriter::Write(ResourceStore::WorkFn work, ResourceStore::DoneFn done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closing_) {
      queue_.push_back(Item{std::move(work), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Status(ErrorCode::kUnavailable, "the store is shutting down"));
}

void GroupWriter::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

int64_t GroupWriter::NextTime() {
  last_time_ = std::max(NowMicros(), last_time_ + 1);
  return last_time_;
}

void GroupWriter::Loop() {
  std::vector<Item> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and drained
      size_t n = std::min(queue_.size(), max_group_);
      for (size_t i = 0; i < n; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunOne(group);
    group.clear();
  }
}

void GroupWriter::RunOne(std::vector<Item>& group) {
  std::vector<Status> results(group.size());
  Status commit = run_(group, results, written_);
  if (commit.ok()) {
    groups_.fetch_add(1, std::memory_order_relaxed);
    writes_.fetch_add(static_cast<int64_t>(group.size()), std::memory_order_relaxed);
  } else {
    for (Status& r : results) {
      if (r.ok()) r = commit;
    }
  }
  // Before anyone hears of these writes, no cached copy may predate them.
  cache_.BeginInvalidation();
  facts_.BeginInvalidation();
  for (const auto& [type, id] : written_) {
    cache_.Invalidate(type, id);
    facts_.Invalidate(type, id);
  }
  if (!listeners_.empty() && commit.ok() && !written_.empty()) {
    std::vector<ResourceKey> keys;
    keys.reserve(written_.size());
    for (auto& [type, id] : written_) keys.push_back({std::move(type), std::move(id)});
    for (const ResourceStore::CommitListener& listener : listeners_) {
      try {
        listener(keys);
      } catch (const std::exception& e) {
        spdlog::error("commit listener threw: {}", e.what());
      }
    }
  }
  written_.clear();
  for (size_t i = 0; i < group.size(); ++i) {
    try {
      group[i].done(std::move(results[i]));
    } catch (const std::exception& e) {
      spdlog::error("write completion threw: {}", e.what());
    }
  }
}

}  // namespace hb::storage
