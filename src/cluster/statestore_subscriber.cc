#include "cluster/statestore_subscriber.h"

#include <fmt/format.h>

#include <chrono>

#include "cluster/node_identity.h"
#include "server/server_log.h"

namespace basalt::cluster {

namespace {

// Between attempts to reach an absent statestore.
constexpr auto kReconnectDelay = std::chrono::milliseconds(300);
constexpr int kMaxTopicMessageBytes = 1 << 30;

}  // namespace

StatestoreSubscriber::StatestoreSubscriber(SubscriberOptions options)
    : options_(std::move(options)) {
  // A full catalog topic can exceed gRPC's default 4 MB per message.
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxTopicMessageBytes);
  channel_ = grpc::CreateCustomChannel(options_.statestore_address,
                                       grpc::InsecureChannelCredentials(), arguments);
  stub_ = Statestore::NewStub(channel_);
}

StatestoreSubscriber::~StatestoreSubscriber() { Stop(); }

void StatestoreSubscriber::AddListener(Listener listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(listener));
}

void StatestoreSubscriber::Start() {
  thread_ = std::thread([this] { RunLoop(); });
}

void StatestoreSubscriber::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void StatestoreSubscriber::Publish(const std::string& topic, const std::string& key,
                                   std::string value) {
  std::lock_guard lock(mu_);
  TopicDelta& delta = pending_.emplace_back();
  delta.set_topic(topic);
  TopicEntry* entry = delta.add_entries();
  entry->set_key(key);
  entry->set_value(value);
  owned_[{topic, key}] = std::move(value);
  cv_.notify_all();
}

void StatestoreSubscriber::Unpublish(const std::string& topic, const std::string& key) {
  std::lock_guard lock(mu_);
  owned_.erase({topic, key});
  TopicDelta& delta = pending_.emplace_back();
  delta.set_topic(topic);
  TopicEntry* entry = delta.add_entries();
  entry->set_key(key);
  entry->set_deleted(true);
  cv_.notify_all();
}

void StatestoreSubscriber::PublishTopic(const std::string& topic,
                                        const std::map<std::string, std::string>& entries) {
  std::lock_guard lock(mu_);
  TopicDelta delta;
  delta.set_topic(topic);
  delta.set_persistent(true);
  if (whole_topics_.insert(topic).second) {
    // The first time, in full: it replaces what an earlier incarnation left.
    delta.set_full(true);
    for (const auto& [key, value] : entries) {
      owned_[{topic, key}] = value;
      TopicEntry* entry = delta.add_entries();
      entry->set_key(key);
      entry->set_value(value);
    }
    pending_.push_back(std::move(delta));
    cv_.notify_all();
    return;
  }
  // Owned keys of this topic are a range of owned_ (ordered by topic, key).
  auto it = owned_.lower_bound({topic, ""});
  while (it != owned_.end() && it->first.first == topic) {
    if (!entries.contains(it->first.second)) {
      TopicEntry* gone = delta.add_entries();
      gone->set_key(it->first.second);
      gone->set_deleted(true);
      it = owned_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [key, value] : entries) {
    auto [slot, added] = owned_.try_emplace({topic, key}, value);
    if (!added && slot->second == value) continue;
    slot->second = value;
    TopicEntry* entry = delta.add_entries();
    entry->set_key(key);
    entry->set_value(value);
  }
  if (delta.entries_size() == 0) return;
  pending_.push_back(std::move(delta));
  cv_.notify_all();
}

std::vector<NodeInfo> StatestoreSubscriber::LiveNodes() const {
  std::lock_guard lock(mu_);
  std::vector<NodeInfo> nodes;
  auto it = topics_.find(kMembershipTopic);
  if (it == topics_.end()) return nodes;
  for (const auto& [name, value] : it->second) {
    NodeInfo node;
    if (node.ParseFromString(value)) nodes.push_back(std::move(node));
  }
  return nodes;
}

std::map<std::string, std::string> StatestoreSubscriber::TopicEntries(
    const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? std::map<std::string, std::string>{} : it->second;
}

bool StatestoreSubscriber::WaitConnected(int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return connected_.load() || stopping_; }) &&
         connected_;
}

void StatestoreSubscriber::ApplyDelta(const TopicDelta& delta) {
  std::vector<Listener> listeners;
  {
    std::lock_guard lock(mu_);
    auto& entries = topics_[delta.topic()];
    if (delta.full()) entries.clear();
    for (const auto& entry : delta.entries()) {
      if (entry.deleted()) {
        entries.erase(entry.key());
      } else {
        entries[entry.key()] = entry.value();
      }
    }
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener(delta.topic());
}

void StatestoreSubscriber::RunLoop() {
  bool warned = false;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    RunStream();
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        connected_ = false;
        return;
      }
    }
    if (connected_.exchange(false)) {
      ServerLog(fmt::format("lost the statestore at {}; keeping the last known membership",
                            options_.statestore_address));
      warned = false;
    } else if (!warned) {
      ServerLog(fmt::format("cannot reach the statestore at {}; retrying",
                            options_.statestore_address));
      warned = true;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kReconnectDelay, [&] { return stopping_; });
  }
}

void StatestoreSubscriber::RunStream() {
  grpc::ClientContext context;
  auto stream = stub_->Subscribe(&context);
  SubscriberMessage registration;
  *registration.mutable_register_()->mutable_node() = options_.self;
  registration.mutable_register_()->add_topics(kMembershipTopic);
  for (const auto& topic : options_.topics) registration.mutable_register_()->add_topics(topic);
  if (!stream->Write(registration)) {
    context.TryCancel();
    stream->Finish().ok();
    return;
  }
  {
    // Everything this node owns goes again: a restarted statestore has none
    // of it. A topic published whole goes as one full message, which also
    // clears what an earlier incarnation of this node left in it.
    std::lock_guard lock(mu_);
    pending_.clear();
    std::map<std::string, TopicDelta> by_topic;
    for (const auto& [topic_key, value] : owned_) {
      TopicDelta& delta = by_topic[topic_key.first];
      delta.set_topic(topic_key.first);
      TopicEntry* entry = delta.add_entries();
      entry->set_key(topic_key.second);
      entry->set_value(value);
    }
    for (const std::string& topic : whole_topics_) by_topic[topic].set_topic(topic);
    for (auto& [topic, delta] : by_topic) {
      if (whole_topics_.contains(topic)) {
        delta.set_full(true);
        delta.set_persistent(true);
      }
      pending_.push_back(std::move(delta));
    }
  }

  using Clock = std::chrono::steady_clock;
  std::atomic<int64_t> last_heard_ms{0};
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               Clock::now().time_since_epoch())
        .count();
  };
  last_heard_ms = now_ms();
  std::atomic<bool> reader_done{false};

  // Writes (heartbeats and published entries) on this thread; reads on another.
  std::thread reader([&] {
    StatestoreMessage message;
    while (stream->Read(&message)) {
      last_heard_ms = now_ms();
      switch (message.kind_case()) {
        case StatestoreMessage::kRegistered:
          connected_ = true;
          {
            std::lock_guard lock(mu_);
            cv_.notify_all();
          }
          break;
        case StatestoreMessage::kUpdate:
          ApplyDelta(message.update());
          break;
        default:
          break;
      }
    }
    reader_done = true;
    std::lock_guard lock(mu_);
    cv_.notify_all();
  });

  int64_t sequence = 0;
  bool leaving = false;
  while (true) {
    std::vector<TopicDelta> to_send;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.heartbeat_interval_ms),
                   [&] { return stopping_ || reader_done || !pending_.empty(); });
      if (stopping_) leaving = true;
      if (stopping_ || reader_done) break;
      to_send.swap(pending_);
    }
    bool ok = true;
    for (TopicDelta& delta : to_send) {
      SubscriberMessage publish;
      *publish.mutable_publish() = std::move(delta);
      if (!(ok = stream->Write(publish))) break;
    }
    SubscriberMessage heartbeat;
    heartbeat.mutable_heartbeat()->set_sequence(++sequence);
    if (!ok || !stream->Write(heartbeat)) break;
    if (now_ms() - last_heard_ms > options_.failure_timeout_ms) {
      ServerLog(fmt::format("no heartbeat from the statestore for {} ms",
                            now_ms() - last_heard_ms.load()));
      break;
    }
  }
  if (leaving) {
    // A clean goodbye: the statestore sees the stream end without a cancel
    // and records a departure, not a failure.
    stream->WritesDone();
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(2), [&] { return reader_done.load(); });
  }
  context.TryCancel();
  reader.join();
  grpc::Status status = stream->Finish();
  if (!status.ok() && status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    ServerLog(fmt::format("the statestore refused this node: {}", status.error_message()));
  }
}

std::optional<Membership> FetchMembership(const std::string& address, int timeout_ms) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = Statestore::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  MembershipRequest request;
  Membership membership;
  if (!stub->GetMembership(&context, request, &membership).ok()) return std::nullopt;
  return membership;
}

}  // namespace basalt::cluster
