// Fragmented plans to and from messages, binary and JSON; the nodes are
// node_serde.cc's, expressions expression_serde.cc's, values value_serde.cc's.
#include "exec/serde/plan_serde.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/json_util.h>

#include <limits>

#include "common/exception.h"
#include "exec/serde/value_serde.h"

namespace basalt {

namespace {

plan::ExchangeType ExchangeTypeToProto(ExchangeType t) {
  switch (t) {
    case ExchangeType::kGather:
      return plan::EXCHANGE_TYPE_GATHER;
    case ExchangeType::kHash:
      return plan::EXCHANGE_TYPE_HASH;
    case ExchangeType::kBroadcast:
      return plan::EXCHANGE_TYPE_BROADCAST;
  }
  ThrowError(sqlstate::kInternalError, "plan serialization: unknown exchange type {}",
             static_cast<int>(t));
}

ExchangeType ExchangeTypeFromProto(plan::ExchangeType t) {
  switch (t) {
    case plan::EXCHANGE_TYPE_GATHER:
      return ExchangeType::kGather;
    case plan::EXCHANGE_TYPE_HASH:
      return ExchangeType::kHash;
    case plan::EXCHANGE_TYPE_BROADCAST:
      return ExchangeType::kBroadcast;
    default:
      break;
  }
  ThrowMalformedPlan("unknown exchange type {}", static_cast<int>(t));
}

std::string TypesText(const std::vector<LogicalType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); i++) out += (i > 0 ? ", " : "") + types[i].ToString();
  return out;
}

// Every exchange receiver must name an exchange of the plan, which the
// executor indexes by id, sit in the fragment that consumes that exchange,
// name as its source a fragment that sends to it, and output what that
// fragment's root outputs (the batches arriving are the root's).
void CheckReceivers(const PhysicalNode& node, const FragmentedPlan& plan, int fragment) {
  if (const auto* r = dynamic_cast<const ExchangeReceiverNode*>(&node)) {
    const int num_exchanges = plan.num_exchanges;
    const int num_fragments = static_cast<int>(plan.fragments.size());
    if (r->exchange_id < 0 || r->exchange_id >= num_exchanges || r->source_fragment < 0 ||
        r->source_fragment >= num_fragments) {
      ThrowMalformedPlan(
          "an exchange receiver of exchange {} from fragment {} in a plan of {} "
          "exchanges and {} fragments",
          r->exchange_id, r->source_fragment, num_exchanges, num_fragments);
    }
    if (plan.exchange_consumer[r->exchange_id] != fragment) {
      ThrowMalformedPlan("a receiver of exchange {} in fragment {}; fragment {} consumes it",
                         r->exchange_id, fragment, plan.exchange_consumer[r->exchange_id]);
    }
    const PlanFragment& source = plan.fragments[r->source_fragment];
    if (source.output_exchange != r->exchange_id) {
      ThrowMalformedPlan("a receiver of exchange {} from fragment {}, which sends to exchange {}",
                         r->exchange_id, r->source_fragment, source.output_exchange);
    }
    if (source.root->types != r->types) {
      ThrowMalformedPlan("a receiver of exchange {} declares ({}); fragment {} sends ({})",
                         r->exchange_id, TypesText(r->types), r->source_fragment,
                         TypesText(source.root->types));
    }
  }
  for (const auto& c : node.children) CheckReceivers(*c, plan, fragment);
}

}  // namespace

plan::FragmentedPlan PlanToProto(const FragmentedPlan& plan, TableSnapshots* snapshots) {
  plan::FragmentedPlan out;
  out.set_format_version(kPlanFormatVersion);
  for (const PlanFragment& f : plan.fragments) {
    plan::PlanFragment* m = out.add_fragments();
    m->set_id(f.id);
    if (f.root) NodeToProto(*f.root, m->mutable_root(), snapshots);
    m->set_parallelism(f.parallelism);
    m->set_output_exchange(f.output_exchange);
    m->set_output_type(ExchangeTypeToProto(f.output_type));
    for (idx_t c : f.hash_columns) m->add_hash_columns(c);
  }
  out.set_num_exchanges(plan.num_exchanges);
  for (int c : plan.exchange_consumer) out.add_exchange_consumer(c);
  for (const auto& n : plan.column_names) out.add_column_names(n);
  for (const LogicalType& t : plan.column_types) TypeToProto(t, out.add_column_types());
  return out;
}

FragmentedPlan PlanFromProto(const plan::FragmentedPlan& m, const DeserializeContext& context) {
  if (m.format_version() != kPlanFormatVersion) {
    ThrowMalformedPlan("plan format version {}; this node reads version {}", m.format_version(),
                       kPlanFormatVersion);
  }
  const int num_fragments = m.fragments_size();
  if (num_fragments == 0) ThrowMalformedPlan("a plan without fragments");
  if (m.num_exchanges() < 0 || m.exchange_consumer_size() != m.num_exchanges()) {
    ThrowMalformedPlan("{} exchanges with {} consumers", m.num_exchanges(),
                       m.exchange_consumer_size());
  }
  FragmentedPlan plan;
  plan.num_exchanges = m.num_exchanges();
  for (int c : m.exchange_consumer()) {
    if (c < 0 || c >= num_fragments) {
      ThrowMalformedPlan("an exchange consumed by fragment {} of {}", c, num_fragments);
    }
    plan.exchange_consumer.push_back(c);
  }
  for (int i = 0; i < num_fragments; i++) {
    const plan::PlanFragment& f = m.fragments(i);
    if (f.id() != i) ThrowMalformedPlan("fragment {} at position {}", f.id(), i);
    if (!f.has_root()) ThrowMalformedPlan("fragment {} without its root node", i);
    if (f.parallelism() < 1 || f.parallelism() > kMaxFragmentParallelism) {
      ThrowMalformedPlan("fragment {} of {} instances (1 to {})", i, f.parallelism(),
                         kMaxFragmentParallelism);
    }
    if (f.output_exchange() < kClientExchange || f.output_exchange() >= m.num_exchanges() ||
        (f.output_exchange() == kClientExchange) != (i == 0)) {
      ThrowMalformedPlan("fragment {} sends to exchange {} of {}", i, f.output_exchange(),
                         m.num_exchanges());
    }
    PlanFragment fragment;
    fragment.id = f.id();
    fragment.root = NodeFromProto(f.root(), context);
    fragment.parallelism = f.parallelism();
    fragment.output_exchange = f.output_exchange();
    fragment.output_type = ExchangeTypeFromProto(f.output_type());
    for (uint64_t c : f.hash_columns()) {
      if (c >= fragment.root->types.size()) {
        ThrowMalformedPlan("fragment {} hashes on column #{} of {}", i, c,
                           fragment.root->types.size());
      }
      fragment.hash_columns.push_back(c);
    }
    plan.fragments.push_back(std::move(fragment));
  }
  // Receivers are checked against their source fragments, which come after
  // them: once every fragment is read.
  for (const PlanFragment& f : plan.fragments) CheckReceivers(*f.root, plan, f.id);
  plan.column_names.assign(m.column_names().begin(), m.column_names().end());
  for (const plan::LogicalType& t : m.column_types()) plan.column_types.push_back(TypeFromProto(t));
  if (plan.column_names.size() != plan.column_types.size()) {
    ThrowMalformedPlan("{} column names and {} column types", plan.column_names.size(),
                       plan.column_types.size());
  }
  return plan;
}

std::string PlanToJson(const FragmentedPlan& plan) {
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(PlanToProto(plan), &json);
  if (!status.ok()) {
    // protobuf's JSON writer stops at 64 levels of nested messages (a deep
    // expression or node tree); the binary form has no such limit.
    ThrowError(sqlstate::kProgramLimitExceeded, "plan cannot be written as JSON: {}",
               status.ToString());
  }
  return json;
}

FragmentedPlan PlanFromJson(const std::string& json, const DeserializeContext& context) {
  plan::FragmentedPlan message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!status.ok()) ThrowMalformedPlan("not a plan in JSON: {}", status.ToString());
  return PlanFromProto(message, context);
}

std::string PlanToBinary(const FragmentedPlan& plan) {
  std::string bytes;
  if (!PlanToProto(plan).SerializeToString(&bytes)) {
    ThrowError(sqlstate::kInternalError, "plan serialization failed (message over 2 GB?)");
  }
  return bytes;
}

FragmentedPlan PlanFromBinary(const std::string& bytes, const DeserializeContext& context) {
  plan::FragmentedPlan message;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  // protobuf's default of 100 nested messages is less than the expressions
  // the binder accepts; the reader's own recursion checks the stack.
  input.SetRecursionLimit(kMaxPlanMessageDepth);
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !message.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    ThrowMalformedPlan("not a plan message (or nested more than {} levels)", kMaxPlanMessageDepth);
  }
  return PlanFromProto(message, context);
}

}  // namespace basalt
