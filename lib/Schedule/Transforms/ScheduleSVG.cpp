//===- ScheduleSVG.cpp - modulo schedules as SVG Gantt charts -------------===//
//
// The picture people draw by hand for FA3: one band per partition (warp
// group), inside it one lane per functional unit, each op a bar at its issue
// time and unit occupancy, for a few iterations started II apart. Bars are
// coloured by iteration; the II windows of the steady state are shaded.
// Written directly as SVG so that no plotting library is needed.
//
// Structure (tests rely on it): each loop is a <g class="loop">, each
// partition a <g class="partition" data-partition="N"> holding exactly one
// <rect class="op"> per (op, iteration).
//
//===----------------------------------------------------------------------===//
#include "weft/Schedule/ScheduleExport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>

using namespace mlir;
using namespace mlir::weft;

namespace {
// Layout, in SVG user units (pixels).
constexpr double kMargin = 16, kLabelWidth = 250, kPlotWidth = 1100;
constexpr double kRowHeight = 20, kRowGap = 3, kLaneGap = 6;
constexpr double kTitleHeight = 44, kAxisHeight = 34, kLegendHeight = 26;
constexpr double kPartitionGap = 10, kLoopGap = 30;
constexpr double kCharWidth = 6.2; // of the 11px sans-serif labels

/// Iteration colours (colour-blind-safe Okabe-Ito hues).
constexpr const char *kIterationColors[] = {"#0072B2", "#E69F00", "#009E73",
                                            "#CC79A7", "#56B4E9", "#D55E00"};

std::string escape(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

/// One bar: op `op` of iteration `iteration`, and the sub-row of its lane it
/// is drawn in (bars that overlap in time, on units with several copies or
/// across iterations, go to separate sub-rows so that none hides another).
struct Bar {
  size_t op;
  unsigned iteration;
  int64_t start, end;
  unsigned row = 0;
};

/// A lane: one (partition, unit) pair.
struct Lane {
  std::string unit;
  std::vector<Bar> bars;
  unsigned rows = 1;
};

/// Greedy interval packing: each bar goes to the first sub-row that is free
/// at its start.
void packRows(Lane &lane) {
  llvm::sort(lane.bars, [](const Bar &a, const Bar &b) {
    return std::tie(a.start, a.end, a.iteration, a.op) <
           std::tie(b.start, b.end, b.iteration, b.op);
  });
  std::vector<int64_t> rowEnd;
  for (Bar &bar : lane.bars) {
    auto free = llvm::find_if(rowEnd, [&](int64_t e) { return e <= bar.start; });
    bar.row = static_cast<unsigned>(free - rowEnd.begin());
    if (free == rowEnd.end())
      rowEnd.push_back(bar.end);
    else
      *free = bar.end;
  }
  lane.rows = std::max<unsigned>(1, rowEnd.size());
}

/// A tick spacing of 1, 2 or 5 x 10^k giving about eight ticks.
int64_t tickStep(int64_t horizon) {
  int64_t step = 1;
  while (horizon / step > 10) {
    if (horizon / (step * 2) <= 10)
      return step * 2;
    if (horizon / (step * 5) <= 10)
      return step * 5;
    step *= 10;
  }
  return step;
}

/// The short name of an op for its bar: the last component of its ONNX node
/// or loc("name") when it has one (what the user wrote: "qk0", "load_k"),
/// else the op kind.
std::string barLabel(const ScheduledOp &op) {
  StringRef location = op.location;
  if (!location.empty() && !location.contains(':'))
    return location.rsplit('/').second.empty() ? location.str()
                                                : location.rsplit('/').second.str();
  return op.kind;
}

class SVGWriter {
public:
  SVGWriter(unsigned iterations, llvm::raw_ostream &os)
      : iterations(std::max(1u, iterations)), os(os) {}

  /// Draws `loop` with its top edge at `top`; returns its height.
  double drawLoop(const ScheduledLoop &loop, size_t index, double top);

private:
  double x(int64_t cycle) const { return kMargin + kLabelWidth + cycle * scale; }
  void text(double px, double py, StringRef content, StringRef attrs) {
    os << llvm::formatv("<text x=\"{0:f1}\" y=\"{1:f1}\" {2}>{3}</text>\n", px,
                        py, attrs, escape(content));
  }

  unsigned iterations;
  llvm::raw_ostream &os;
  double scale = 1;
};
} // namespace

double SVGWriter::drawLoop(const ScheduledLoop &loop, size_t index,
                           double top) {
  // Lanes per partition, in partition order, units by name.
  std::map<int64_t, std::map<std::string, Lane>> partitions;
  for (const SchedulePartition &p : loop.partitions)
    partitions[p.index];
  int64_t horizon = std::max<int64_t>(1, loop.iiCycles * iterations);
  for (auto [i, op] : llvm::enumerate(loop.ops)) {
    Lane &lane = partitions[op.partition][op.unit];
    lane.unit = op.unit;
    for (unsigned it = 0; it < iterations; ++it) {
      int64_t start = op.startCycles + int64_t(it) * loop.iiCycles;
      lane.bars.push_back({i, it, start, start + op.occupancyCycles});
      horizon = std::max(horizon, start + op.occupancyCycles);
    }
  }
  scale = kPlotWidth / double(horizon);

  double height = kTitleHeight + kLegendHeight;
  for (auto &[p, lanes] : partitions) {
    for (auto &[unit, lane] : lanes) {
      packRows(lane);
      height += lane.rows * (kRowHeight + kRowGap) + kLaneGap;
    }
    if (lanes.empty())
      height += kRowHeight + kLaneGap;
    height += kPartitionGap;
  }
  height += kAxisHeight;
  double plotTop = top + kTitleHeight + kLegendHeight;
  double plotBottom = top + height - kAxisHeight;

  os << llvm::formatv("<g class=\"loop\" data-loop=\"{0}\" data-ii-cycles=\"{1}\" "
                      "data-iterations=\"{2}\">\n",
                      index, loop.iiCycles, iterations);
  // Title: what the solver decided and whether it is proven.
  text(kMargin, top + 18,
       loop.function + (loop.location.empty() ? "" : "  @ " + loop.location),
       "class=\"title\" font-size=\"15\" font-weight=\"bold\"");
  text(kMargin, top + 36,
       llvm::formatv("II {0} = {1} cycles  \u00b7  lower bound {2}  \u00b7  {3}  "
                     "\u00b7  {4} stages  \u00b7  {5} partitions  \u00b7  {6} "
                     "iterations shown",
                     loop.ii, loop.iiCycles, loop.lowerBound,
                     loop.provenOptimal ? "proven optimal (UNSAT below II)"
                                        : "NOT proven optimal",
                     loop.stages, loop.partitions.size(), iterations)
           .str(),
       "class=\"subtitle\" font-size=\"12\"");
  // Legend: one swatch per iteration.
  double legendX = kMargin + kLabelWidth;
  for (unsigned it = 0; it < iterations; ++it) {
    os << llvm::formatv("<rect class=\"legend\" x=\"{0:f1}\" y=\"{1:f1}\" "
                        "width=\"14\" height=\"12\" fill=\"{2}\"/>\n",
                        legendX, top + kTitleHeight + 2,
                        kIterationColors[it % std::size(kIterationColors)]);
    text(legendX + 18, top + kTitleHeight + 12,
         "iteration " + std::to_string(it), "font-size=\"11\"");
    legendX += 100;
  }
  text(legendX + 10, top + kTitleHeight + 12,
       "shaded: II windows (steady state issues one iteration per window)",
       "font-size=\"11\" fill=\"#555\"");

  // II windows, shaded alternately, behind everything.
  for (int64_t w = 0; w * loop.iiCycles < horizon && loop.iiCycles > 0; ++w) {
    double x0 = x(w * loop.iiCycles);
    double x1 = x(std::min(horizon, (w + 1) * loop.iiCycles));
    os << llvm::formatv("<rect class=\"window\" x=\"{0:f1}\" y=\"{1:f1}\" "
                        "width=\"{2:f1}\" height=\"{3:f1}\" fill=\"{4}\"/>\n",
                        x0, plotTop, x1 - x0, plotBottom - plotTop,
                        w % 2 ? "#ffffff" : "#eef1f5");
    // Labelled where the label fits (long schedules have narrow windows).
    if (x1 - x0 > 60)
      text(x0 + 3, plotTop - 1, "II window " + std::to_string(w),
           "font-size=\"9\" fill=\"#777\"");
  }

  double y = plotTop;
  for (auto &[p, lanes] : partitions) {
    const SchedulePartition *info = nullptr;
    for (const SchedulePartition &candidate : loop.partitions)
      if (candidate.index == p)
        info = &candidate;
    double partitionTop = y;
    os << llvm::formatv("<g class=\"partition\" data-partition=\"{0}\">\n", p);
    for (auto &[unit, lane] : lanes) {
      double laneHeight = lane.rows * (kRowHeight + kRowGap);
      text(kMargin + 150, y + kRowHeight * 0.7, unit.empty() ? "(no unit)" : unit,
           "class=\"unit\" font-size=\"11\"");
      for (const Bar &bar : lane.bars) {
        const ScheduledOp &op = loop.ops[bar.op];
        double bx = x(bar.start), bw = std::max(1.0, (bar.end - bar.start) * scale);
        double by = y + bar.row * (kRowHeight + kRowGap);
        os << llvm::formatv(
            "<rect class=\"op\" data-op=\"{0}\" data-iteration=\"{1}\" "
            "x=\"{2:f1}\" y=\"{3:f1}\" width=\"{4:f1}\" height=\"{5:f1}\" "
            "fill=\"{6}\" fill-opacity=\"0.85\" stroke=\"#222\" "
            "stroke-width=\"0.6\"><title>",
            bar.op, bar.iteration, bx, by, bw, kRowHeight,
            kIterationColors[bar.iteration % std::size(kIterationColors)]);
        os << escape(llvm::formatv("{0} ({1}) iteration {2}: cycles {3}-{4}, "
                                   "stage {5}, latency {6}, {7} buffer(s), {8}",
                                   op.name, op.kind, bar.iteration, bar.start,
                                   bar.end, op.stage, op.latencyCycles,
                                   op.buffers, op.location)
                         .str())
           << "</title></rect>\n";
        std::string label = barLabel(op);
        if (label.size() * kCharWidth > bw - 4)
          label = op.kind;
        if (label.size() * kCharWidth <= bw - 4)
          text(bx + 3, by + kRowHeight * 0.7, label,
               "class=\"oplabel\" font-size=\"11\" fill=\"#fff\"");
      }
      y += laneHeight + kLaneGap;
    }
    if (lanes.empty())
      y += kRowHeight + kLaneGap;
    std::string name = "p" + std::to_string(p) + " " +
                       (info ? info->role : std::string("partition"));
    text(kMargin, partitionTop + kRowHeight * 0.7, name,
         "class=\"partition-label\" font-size=\"12\" font-weight=\"bold\"");
    if (info)
      text(kMargin, partitionTop + kRowHeight * 0.7 + 14,
           llvm::formatv("{0} regs (needs {1})", info->registers,
                         info->registersNeeded)
               .str(),
           "font-size=\"10\" fill=\"#555\"");
    os << "</g>\n";
    y += kPartitionGap / 2;
    os << llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1:f1}\" x2=\"{2:f1}\" "
                        "y2=\"{1:f1}\" stroke=\"#999\" stroke-width=\"0.8\"/>\n",
                        kMargin, y, x(horizon));
    y += kPartitionGap / 2;
  }

  // Cycle axis.
  int64_t step = tickStep(horizon);
  os << llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1:f1}\" x2=\"{2:f1}\" "
                      "y2=\"{1:f1}\" stroke=\"#000\"/>\n",
                      x(0), plotBottom, x(horizon));
  for (int64_t t = 0; t <= horizon; t += step) {
    os << llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1:f1}\" x2=\"{0:f1}\" "
                        "y2=\"{2:f1}\" stroke=\"#000\"/>\n",
                        x(t), plotBottom, plotBottom + 4);
    text(x(t) - 3 * std::to_string(t).size(), plotBottom + 15,
         std::to_string(t), "font-size=\"10\"");
  }
  text(x(0), plotBottom + 29, "machine cycles", "font-size=\"11\"");
  os << "</g>\n";
  return height;
}

void mlir::weft::detail::writeScheduleSVG(ArrayRef<ScheduledLoop> loops,
                                          unsigned iterations,
                                          llvm::raw_ostream &os) {
  // Drawn into a buffer first: the document's height is known at the end.
  std::string body;
  llvm::raw_string_ostream bodyStream(body);
  SVGWriter writer(iterations, bodyStream);
  double y = kMargin;
  for (auto [i, loop] : llvm::enumerate(loops))
    y += writer.drawLoop(loop, i, y) + kLoopGap;
  double width = 2 * kMargin + kLabelWidth + kPlotWidth + 20;
  os << llvm::formatv(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:f0}\" "
      "height=\"{1:f0}\" viewBox=\"0 0 {0:f0} {1:f0}\" "
      "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
      width, y);
  os << body << "</svg>\n";
}
