#include "exec/fragment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "exec/memory_tracker.h"
#include "exec/operators/exchange_receiver.h"

namespace basalt {

const char* ExchangeTypeName(ExchangeType type) {
  switch (type) {
    case ExchangeType::kGather:
      return "gather";
    case ExchangeType::kHash:
      return "hash";
    case ExchangeType::kBroadcast:
      return "broadcast";
  }
  return "?";
}

namespace {

std::string FormatMillis(uint64_t nanos) { return fmt::format("{:.3f} ms", nanos / 1e6); }

// "[rows=94 (est 34) batches=2 bytes=1.2 MiB self=0.050 ms (max 0.031 ms)
// peak_memory=3.0 MiB name=value ...]": what the node did, summed over the
// fragment's instances (peak memory: the largest instance's).
std::string ActualFigures(const PhysicalNode& node, const NodeProfile* p,
                          int fragment_instances) {
  if (!p) return "[not run]";
  std::string out = fmt::format("[rows={}", p->rows_out);
  if (node.estimated_rows > 0) out += fmt::format(" (est {:.0f})", std::ceil(node.estimated_rows));
  out += fmt::format(" batches={} bytes={} self={}", p->batches_out, FormatBytes(p->bytes_out),
                     FormatMillis(p->self_nanos));
  // With one instance the slowest is the sum; printing it would only repeat.
  if (p->instances > 1) out += fmt::format(" (max {})", FormatMillis(p->max_self_nanos));
  if (p->instances != static_cast<uint64_t>(fragment_instances)) {
    out += fmt::format(" instances={}", p->instances);
  }
  if (p->peak_memory > 0) out += fmt::format(" peak_memory={}", FormatBytes(p->peak_memory));
  for (const auto& [name, value] : p->counters) out += fmt::format(" {}={}", name, value);
  return out + "]";
}

// One line per instance of a node run by several, by host and instance
// index: at most `limit` lines, the slowest instance (by time including
// children) always among them and marked, then how many were left out.
void AppendInstances(const NodeProfile& p, int depth, int limit, std::string& out) {
  if (p.per_instance.size() < 2 || limit <= 0) return;
  std::vector<const InstanceProfileFigures*> rows;
  for (const auto& i : p.per_instance) rows.push_back(&i);
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return a->host != b->host ? a->host < b->host : a->instance < b->instance;
  });
  const InstanceProfileFigures* slowest = rows[0];
  for (const auto* i : rows) {
    if (i->total_nanos > slowest->total_nanos) slowest = i;
  }
  const size_t shown = std::min(rows.size(), static_cast<size_t>(limit));
  std::vector<const InstanceProfileFigures*> lines(rows.begin(), rows.begin() + shown);
  if (std::find(lines.begin(), lines.end(), slowest) == lines.end()) lines.back() = slowest;
  for (const auto* i : lines) {
    out.append(static_cast<size_t>(depth) * 2 + 4, ' ');
    out += fmt::format("instance {}{}: rows={} bytes={} time={}", i->instance,
                       i->host.empty() ? "" : " on " + i->host, i->rows_out,
                       FormatBytes(i->bytes_out), FormatMillis(i->total_nanos));
    if (i->peak_memory > 0) out += fmt::format(" peak_memory={}", FormatBytes(i->peak_memory));
    if (i == slowest) out += " (slowest)";
    out += "\n";
  }
  if (rows.size() > shown) {
    out.append(static_cast<size_t>(depth) * 2 + 4, ' ');
    out += fmt::format("... {} more instances\n", rows.size() - shown);
  }
}

// `profile` is null for EXPLAIN; then each line carries the estimate alone.
void AppendNode(const PhysicalNode& node, int depth, const QueryProfile* profile,
                int fragment_instances, int instance_lines, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  out += node.Name();
  std::string details = node.Details();
  if (!details.empty()) out += " " + details;
  std::optional<NodeProfile> figures;
  if (profile) {
    figures = profile->node(node.id);
    out += " " + ActualFigures(node, figures ? &*figures : nullptr, fragment_instances);
  } else if (node.estimated_rows > 0) {
    // Zero means the optimizer made no estimate; printing "~0 rows" would mislead.
    out += fmt::format(" (~{:.0f} rows)", std::ceil(node.estimated_rows));
  }
  out += "\n";
  if (figures) AppendInstances(*figures, depth, instance_lines, out);
  for (const auto& child : node.children) {
    AppendNode(*child, depth + 1, profile, fragment_instances, instance_lines, out);
  }
}

std::string PlanText(const FragmentedPlan& plan, const QueryProfile* profile,
                     int instance_lines) {
  std::string out;
  for (const PlanFragment& fragment : plan.fragments) {
    out += fmt::format("Fragment {} [{} instance{}{}] -> ", fragment.id, fragment.parallelism,
                       fragment.parallelism == 1 ? "" : "s",
                       fragment.hosts.empty() ? "" : " on " + fragment.hosts);
    if (fragment.output_exchange == kClientExchange) {
      out += "client";
    } else {
      out += fmt::format("{} exchange {}", ExchangeTypeName(fragment.output_type),
                         fragment.output_exchange);
      if (fragment.output_type == ExchangeType::kHash) {
        out += " on (";
        for (size_t i = 0; i < fragment.hash_columns.size(); i++) {
          out += fmt::format("{}#{}", i > 0 ? ", " : "", fragment.hash_columns[i]);
        }
        out += ")";
      }
    }
    out += "\n";
    if (fragment.root) {
      AppendNode(*fragment.root, 1, profile, fragment.parallelism, instance_lines, out);
    }
  }
  return out;
}

}  // namespace

std::string ExchangeReceiverNode::Details() const {
  return fmt::format("from fragment {} ({})", source_fragment, ExchangeTypeName(exchange_type));
}

std::unique_ptr<Operator> ExchangeReceiverNode::CreateOperator(InstanceContext& ctx) const {
  return std::make_unique<ExchangeReceiverOperator>(*this, ctx);
}

std::string FragmentedPlan::ToString() const { return PlanText(*this, nullptr, 0); }

std::string FragmentedPlan::ToString(const QueryProfile& profile, int instance_lines) const {
  std::string out = PlanText(*this, &profile, instance_lines);
  out += fmt::format("Rows returned: {}\n", profile.rows_returned());
  out += fmt::format("Execution time: {}\n", FormatMillis(profile.wall_nanos()));
  // Per process when several took part: their peaks need not coincide, so
  // the sum is an upper bound.
  std::map<std::string, uint64_t> hosts = profile.host_peak_memory();
  out += fmt::format("Peak memory: {}", FormatBytes(profile.peak_memory()));
  if (hosts.size() > 1) {
    std::string parts;
    for (const auto& [host, bytes] : hosts) {
      parts += fmt::format("{}{} on {}", parts.empty() ? "" : ", ", FormatBytes(bytes),
                           host.empty() ? "?" : host);
    }
    out += " (sum of " + parts + ")";
  }
  out += "\n";
  return out;
}

}  // namespace basalt
