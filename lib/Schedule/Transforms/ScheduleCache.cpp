//===- ScheduleCache.cpp - solutions cached on disk -----------------------===//
#include "weft/Schedule/ScheduleCache.h"
#include "weft/Support/OutputFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace sched = ::weft::schedule;
namespace json = llvm::json;

static json::Array toArray(const std::vector<int64_t> &values) {
  json::Array array;
  for (int64_t v : values)
    array.push_back(v);
  return array;
}

std::string mlir::weft::solutionToJSON(const sched::Solution &s) {
  json::Array groups;
  for (const sched::WarpGroup &g : s.warpGroups) {
    json::Array ops;
    for (unsigned v : g.ops)
      ops.push_back(static_cast<int64_t>(v));
    groups.push_back(json::Object{{"index", static_cast<int64_t>(g.index)},
                                  {"role", g.role},
                                  {"registerBudget", g.registerBudget},
                                  {"registersNeeded", g.registersNeeded},
                                  {"ops", std::move(ops)}});
  }
  std::vector<int64_t> groupOf(s.warpGroupOf.begin(), s.warpGroupOf.end());
  json::Object object{{"ii", s.ii},
                      {"lowerBound", s.lowerBound},
                      {"resMII", s.resMII},
                      {"recMII", s.recMII},
                      {"provenOptimal", s.provenOptimal},
                      {"remark", s.remark},
                      {"scheduleLength", s.scheduleLength},
                      {"stageCount", s.stageCount},
                      {"issueCycle", toArray(s.issueCycle)},
                      {"stage", toArray(s.stage)},
                      {"warpGroupOf", toArray(groupOf)},
                      {"bufferDepth", toArray(s.bufferDepth)},
                      {"warpGroups", std::move(groups)},
                      {"smemBytesUsed", s.smemBytesUsed},
                      {"tmemColumnsUsed", s.tmemColumnsUsed},
                      {"normalizationScale", s.normalizationScale},
                      {"maxRelativeError", s.maxRelativeError},
                      {"boundRelativeError", s.boundRelativeError},
                      {"warpSpecialized", s.warpSpecialized},
                      {"phase", static_cast<int64_t>(s.phase)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(std::move(object));
  return text;
}

static bool readArray(const json::Object &o, llvm::StringRef key,
                      std::vector<int64_t> &out) {
  const json::Array *array = o.getArray(key);
  if (!array)
    return false;
  for (const json::Value &v : *array) {
    std::optional<int64_t> i = v.getAsInteger();
    if (!i)
      return false;
    out.push_back(*i);
  }
  return true;
}

std::optional<sched::Solution> mlir::weft::solutionFromJSON(llvm::StringRef text) {
  llvm::Expected<json::Value> parsed = json::parse(text);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return std::nullopt;
  }
  const json::Object *o = parsed->getAsObject();
  if (!o)
    return std::nullopt;
  sched::Solution s;
  auto integer = [&](llvm::StringRef key, int64_t &out) {
    std::optional<int64_t> v = o->getInteger(key);
    if (v)
      out = *v;
    return v.has_value();
  };
  auto number = [&](llvm::StringRef key, double &out) {
    std::optional<double> v = o->getNumber(key);
    if (v)
      out = *v;
    return v.has_value();
  };
  int64_t phase = 0;
  std::vector<int64_t> groupOf;
  if (!integer("ii", s.ii) || !integer("lowerBound", s.lowerBound) ||
      !integer("resMII", s.resMII) || !integer("recMII", s.recMII) ||
      !integer("scheduleLength", s.scheduleLength) ||
      !integer("stageCount", s.stageCount) ||
      !integer("smemBytesUsed", s.smemBytesUsed) ||
      !integer("tmemColumnsUsed", s.tmemColumnsUsed) ||
      !integer("phase", phase) ||
      !number("normalizationScale", s.normalizationScale) ||
      !number("maxRelativeError", s.maxRelativeError) ||
      !number("boundRelativeError", s.boundRelativeError) ||
      !readArray(*o, "issueCycle", s.issueCycle) ||
      !readArray(*o, "stage", s.stage) ||
      !readArray(*o, "warpGroupOf", groupOf) ||
      !readArray(*o, "bufferDepth", s.bufferDepth))
    return std::nullopt;
  s.phase = static_cast<int>(phase);
  s.provenOptimal = o->getBoolean("provenOptimal").value_or(false);
  s.warpSpecialized = o->getBoolean("warpSpecialized").value_or(false);
  if (std::optional<llvm::StringRef> remark = o->getString("remark"))
    s.remark = remark->str();
  for (int64_t g : groupOf)
    s.warpGroupOf.push_back(static_cast<unsigned>(g));
  const json::Array *groups = o->getArray("warpGroups");
  if (!groups)
    return std::nullopt;
  for (const json::Value &value : *groups) {
    const json::Object *g = value.getAsObject();
    if (!g)
      return std::nullopt;
    sched::WarpGroup group;
    group.index = static_cast<unsigned>(g->getInteger("index").value_or(0));
    group.role = g->getString("role").value_or("").str();
    group.registerBudget = g->getInteger("registerBudget").value_or(0);
    group.registersNeeded = g->getInteger("registersNeeded").value_or(0);
    std::vector<int64_t> ops;
    if (!readArray(*g, "ops", ops))
      return std::nullopt;
    for (int64_t v : ops)
      group.ops.push_back(static_cast<unsigned>(v));
    s.warpGroups.push_back(std::move(group));
  }
  return s;
}

static std::string entryPath(llvm::StringRef directory, uint64_t key) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(
      path, (llvm::Twine(llvm::utohexstr(key, /*LowerCase=*/true, 16)) + ".json")
                .str());
  return std::string(path);
}

std::optional<sched::Solution>
mlir::weft::loadCachedSolution(llvm::StringRef directory, uint64_t key,
                         const sched::Problem &problem) {
  auto buffer = llvm::MemoryBuffer::getFile(entryPath(directory, key));
  if (!buffer)
    return std::nullopt;
  std::optional<sched::Solution> solution =
      solutionFromJSON((*buffer)->getBuffer());
  size_t n = problem.ops.size();
  if (!solution || solution->issueCycle.size() != n ||
      solution->stage.size() != n || solution->warpGroupOf.size() != n ||
      solution->bufferDepth.size() != n)
    return std::nullopt;
  for (unsigned g : solution->warpGroupOf)
    if (g >= solution->warpGroups.size())
      return std::nullopt;
  return solution;
}

llvm::Error mlir::weft::storeCachedSolution(llvm::StringRef directory, uint64_t key,
                                      const sched::Solution &solution) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return llvm::createStringError(ec, "cannot create schedule cache '%s'",
                                   directory.str().c_str());
  // Concurrent compilers share the directory: an atomic rename means a
  // reader sees no entry or a complete one, and of two writers of the same
  // key the last rename wins with an equally valid solution.
  if (llvm::Error error = writeFileAtomically(
          entryPath(directory, key),
          [&](llvm::raw_ostream &os) { os << solutionToJSON(solution); }))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "schedule cache '%s': %s",
        directory.str().c_str(), llvm::toString(std::move(error)).c_str());
  return llvm::Error::success();
}
