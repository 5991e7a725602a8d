#include "cluster/statestore.h"

#include <fmt/format.h>

#include <random>
#include <set>

#include "cluster/node_identity.h"
#include "server/server_log.h"

namespace basalt::cluster {

namespace {

// Failed nodes remembered for `basalt cluster status`.
constexpr size_t kMaxFailedRemembered = 64;

uint64_t RandomIncarnation() {
  std::random_device entropy;
  uint64_t value = 0;
  while (value == 0) value = (uint64_t{entropy()} << 32) | entropy();
  return value;
}

}  // namespace

StatestoreService::StatestoreService(StatestoreOptions options)
    : options_(options), incarnation_(RandomIncarnation()) {
  monitor_ = std::thread([this] { MonitorLoop(); });
}

StatestoreService::~StatestoreService() {
  Shutdown();
  if (monitor_.joinable()) monitor_.join();
}

void StatestoreService::Shutdown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  for (auto& [name, subscriber] : subscribers_) {
    subscriber->dead = true;
    subscriber->left = true;
    subscriber->context->TryCancel();
  }
  changed_.notify_all();
}

void StatestoreService::SetEntryLocked(const std::string& topic_name, const std::string& key,
                                       std::string value, const std::string& owner,
                                       bool persistent) {
  Topic& topic = topics_[topic_name];
  OwnedEntry& slot = topic.entries[key];
  if (!slot.entry.key().empty() && !slot.entry.deleted() && slot.owner == owner &&
      slot.persistent == persistent && slot.entry.value() == value) {
    return;
  }
  slot.entry.set_key(key);
  slot.entry.set_value(std::move(value));
  slot.entry.set_deleted(false);
  slot.entry.set_version(++topic.version);
  slot.owner = owner;
  slot.persistent = persistent;
}

void StatestoreService::DeleteEntryLocked(Topic& topic, OwnedEntry& slot) {
  if (slot.entry.deleted()) return;
  slot.entry.set_deleted(true);
  slot.entry.clear_value();
  slot.entry.set_version(++topic.version);
}

void StatestoreService::DeleteOwnedEntriesLocked(const std::string& owner) {
  for (auto& [name, topic] : topics_) {
    for (auto& [key, slot] : topic.entries) {
      if (slot.owner == owner && !slot.persistent) DeleteEntryLocked(topic, slot);
    }
  }
}

void StatestoreService::ApplyPublishLocked(const TopicDelta& publish, const std::string& owner) {
  if (publish.topic() == kMembershipTopic) return;  // the statestore's own
  Topic& topic = topics_[publish.topic()];
  if (publish.full()) {
    // The whole topic: whatever the message does not hold goes.
    std::set<std::string> kept;
    for (const auto& entry : publish.entries()) {
      if (!entry.deleted()) kept.insert(entry.key());
    }
    for (auto& [key, slot] : topic.entries) {
      if (!kept.contains(key)) DeleteEntryLocked(topic, slot);
    }
  }
  for (const auto& entry : publish.entries()) {
    if (entry.deleted()) {
      auto it = topic.entries.find(entry.key());
      // A persistent entry may have been published by an earlier
      // incarnation of the owner; any node replacing the topic may delete it.
      if (it != topic.entries.end() && (it->second.owner == owner || it->second.persistent)) {
        DeleteEntryLocked(topic, it->second);
      }
    } else {
      SetEntryLocked(publish.topic(), entry.key(), entry.value(), owner, publish.persistent());
    }
  }
}

void StatestoreService::PruneTombstonesLocked() {
  // A tombstone can go once every subscriber of its topic has been sent it;
  // later subscribers start from a full snapshot, which has no tombstones.
  for (auto& [name, topic] : topics_) {
    int64_t oldest_sent = topic.version;
    for (const auto& [node, subscriber] : subscribers_) {
      auto it = subscriber->sent_versions.find(name);
      bool subscribed = false;
      for (const auto& t : subscriber->topics) subscribed |= t == name;
      if (!subscribed) continue;
      oldest_sent = std::min(oldest_sent, it == subscriber->sent_versions.end() ? 0 : it->second);
    }
    for (auto it = topic.entries.begin(); it != topic.entries.end();) {
      if (it->second.entry.deleted() && it->second.entry.version() <= oldest_sent) {
        it = topic.entries.erase(it);
      } else {
        ++it;
      }
    }
  }
}

std::vector<TopicDelta> StatestoreService::TakeDeltasLocked(Subscriber& subscriber) {
  std::vector<TopicDelta> deltas;
  for (const auto& name : subscriber.topics) {
    const Topic& topic = topics_[name];
    auto sent = subscriber.sent_versions.find(name);
    bool full = sent == subscriber.sent_versions.end();
    if (!full && sent->second >= topic.version) continue;
    TopicDelta delta;
    delta.set_topic(name);
    delta.set_full(full);
    delta.set_version(topic.version);
    for (const auto& [key, slot] : topic.entries) {
      if (full ? slot.entry.deleted() : slot.entry.version() <= sent->second) continue;
      *delta.add_entries() = slot.entry;
    }
    subscriber.sent_versions[name] = topic.version;
    deltas.push_back(std::move(delta));
  }
  return deltas;
}

void StatestoreService::MarkDeadLocked(Subscriber& subscriber, std::string reason) {
  if (subscriber.dead) return;
  subscriber.dead = true;
  subscriber.failure_reason = std::move(reason);
  subscriber.context->TryCancel();
  changed_.notify_all();
}

void StatestoreService::RemoveSubscriberLocked(const std::shared_ptr<Subscriber>& subscriber) {
  const std::string& name = subscriber->node.id().name();
  auto it = subscribers_.find(name);
  // A newer connection of the same node may have taken the slot already; its
  // entries are its own now.
  if (it == subscribers_.end() || it->second != subscriber) return;
  subscribers_.erase(it);
  DeleteOwnedEntriesLocked(name);
  if (shutting_down_) return;
  if (subscriber->left) {
    ServerLog(fmt::format("statestore: {} left the cluster", name));
  } else {
    ServerLog(fmt::format("statestore: {} failed: {}", name, subscriber->failure_reason));
    FailedNode failed;
    *failed.mutable_node() = subscriber->node;
    failed.set_reason(subscriber->failure_reason);
    const int64_t now_ms = NowMillis();
    failed.set_failed_time_ms(now_ms);
    failed.set_last_heard_ms(
        now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                       subscriber->last_heard)
                     .count());
    failed_.push_front(std::move(failed));
    if (failed_.size() > kMaxFailedRemembered) failed_.pop_back();
  }
  changed_.notify_all();
}

grpc::Status StatestoreService::Subscribe(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<StatestoreMessage, SubscriberMessage>* stream) {
  SubscriberMessage first;
  if (!stream->Read(&first)) return grpc::Status::CANCELLED;
  if (first.kind_case() != SubscriberMessage::kRegister || first.register_().node().id().name().empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "the first message must register a named node"};
  }
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->node = first.register_().node();
  subscriber->topics.assign(first.register_().topics().begin(), first.register_().topics().end());
  subscriber->context = context;
  subscriber->last_heard = Clock::now();
  const std::string name = subscriber->node.id().name();
  {
    std::lock_guard lock(mu_);
    if (shutting_down_) return {grpc::StatusCode::UNAVAILABLE, "the statestore is shutting down"};
    auto existing = subscribers_.find(name);
    if (existing != subscribers_.end()) {
      const NodeInfo& live = existing->second->node;
      // A process older than the one registered under this name is stale (it
      // was replaced by a restart): it must not take the name back.
      if (live.id().incarnation() != subscriber->node.id().incarnation() &&
          subscriber->node.start_time_ms() < live.start_time_ms()) {
        return {grpc::StatusCode::FAILED_PRECONDITION,
                fmt::format("node {} incarnation {} is older than the registered incarnation {}",
                            name, subscriber->node.id().incarnation(), live.id().incarnation())};
      }
      // The same process reconnecting, or a newer one: the old stream goes.
      existing->second->left = true;
      MarkDeadLocked(*existing->second, "replaced by a new registration");
      subscribers_.erase(existing);
      DeleteOwnedEntriesLocked(name);
    }
    subscribers_[name] = subscriber;
    SetEntryLocked(kMembershipTopic, name, subscriber->node.SerializeAsString(), name);
    // A node that comes back is no longer failed.
    for (auto it = failed_.begin(); it != failed_.end();) {
      it = it->node().id().name() == name ? failed_.erase(it) : it + 1;
    }
    changed_.notify_all();
  }
  ServerLog(fmt::format("statestore: {} registered (incarnation {:x})", name,
                        subscriber->node.id().incarnation()));

  // Reads run on their own thread so that this one can push updates the moment
  // topics change, without waiting for the subscriber's next message.
  std::thread reader([&] {
    SubscriberMessage message;
    while (stream->Read(&message)) {
      std::lock_guard lock(mu_);
      // A replaced stream's late messages must not overwrite what the new
      // connection of the same node published.
      if (subscriber->dead) continue;
      subscriber->last_heard = Clock::now();
      if (message.kind_case() == SubscriberMessage::kPublish) {
        ApplyPublishLocked(message.publish(), name);
        changed_.notify_all();
      }
    }
    std::lock_guard lock(mu_);
    if (!subscriber->dead && !context->IsCancelled()) subscriber->left = true;
    MarkDeadLocked(*subscriber, "its connection was lost");
  });

  StatestoreMessage registered;
  registered.mutable_registered()->set_statestore_incarnation(incarnation_);
  registered.mutable_registered()->set_heartbeat_interval_ms(options_.heartbeat_interval_ms);
  registered.mutable_registered()->set_failure_timeout_ms(options_.failure_timeout_ms);
  bool ok = stream->Write(registered);
  int64_t sequence = 0;
  auto next_heartbeat = Clock::now();
  while (ok) {
    std::vector<TopicDelta> deltas;
    {
      std::unique_lock lock(mu_);
      changed_.wait_until(lock, next_heartbeat, [&] {
        if (subscriber->dead) return true;
        for (const auto& topic : subscriber->topics) {
          auto sent = subscriber->sent_versions.find(topic);
          if (sent == subscriber->sent_versions.end() || sent->second < topics_[topic].version) {
            return true;
          }
        }
        return false;
      });
      if (subscriber->dead) break;
      deltas = TakeDeltasLocked(*subscriber);
    }
    for (auto& delta : deltas) {
      StatestoreMessage update;
      *update.mutable_update() = std::move(delta);
      if (!(ok = stream->Write(update))) break;
    }
    if (ok && Clock::now() >= next_heartbeat) {
      StatestoreMessage heartbeat;
      heartbeat.mutable_heartbeat()->set_sequence(++sequence);
      ok = stream->Write(heartbeat);
      next_heartbeat = Clock::now() + std::chrono::milliseconds(options_.heartbeat_interval_ms);
    }
  }
  {
    std::lock_guard lock(mu_);
    MarkDeadLocked(*subscriber, "its connection was lost");
  }
  reader.join();
  std::lock_guard lock(mu_);
  RemoveSubscriberLocked(subscriber);
  return grpc::Status::OK;
}

grpc::Status StatestoreService::GetMembership(grpc::ServerContext*, const MembershipRequest*,
                                              Membership* response) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  const int64_t now_ms = NowMillis();
  for (const auto& [name, subscriber] : subscribers_) {
    if (subscriber->dead) continue;
    *response->add_live() = subscriber->node;
    const auto silent =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - subscriber->last_heard);
    (*response->mutable_last_heard_ms())[name] = now_ms - silent.count();
  }
  for (const auto& failed : failed_) *response->add_failed() = failed;
  response->set_statestore_incarnation(incarnation_);
  return grpc::Status::OK;
}

void StatestoreService::MonitorLoop() {
  const auto timeout = std::chrono::milliseconds(options_.failure_timeout_ms);
  std::unique_lock lock(mu_);
  while (!shutting_down_) {
    changed_.wait_for(lock, std::chrono::milliseconds(100));
    auto now = Clock::now();
    for (auto& [name, subscriber] : subscribers_) {
      if (!subscriber->dead && now - subscriber->last_heard > timeout) {
        MarkDeadLocked(*subscriber, fmt::format("no heartbeat for {} ms",
                                                std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    now - subscriber->last_heard)
                                                    .count()));
      }
    }
    PruneTombstonesLocked();
  }
}

}  // namespace basalt::cluster
