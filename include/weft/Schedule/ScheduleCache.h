//===- ScheduleCache.h - solutions cached on disk ---------------*- C++ -*-===//
//
// A solve can take seconds; the same loop on the same machine always has the
// same optimal schedule. Solutions are stored as JSON files named by a hash
// of (problem, machine model, solver settings). Writers write a temporary
// file and rename it into place, so concurrent compilers never see a partial
// entry.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_SCHEDULE_SCHEDULECACHE_H
#define WEFT_SCHEDULE_SCHEDULECACHE_H

#include "weft/Schedule/Problem.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>

namespace mlir::weft {

/// `solution` as a JSON document, and back (nothing for malformed input).
std::string solutionToJSON(const ::weft::schedule::Solution &solution);
std::optional<::weft::schedule::Solution>
solutionFromJSON(llvm::StringRef json);

/// The cached solution for `key` in `directory`, if any. An entry that does
/// not parse or does not fit `problem` is treated as a miss.
std::optional<::weft::schedule::Solution>
loadCachedSolution(llvm::StringRef directory, uint64_t key,
                   const ::weft::schedule::Problem &problem);

/// Stores `solution` under `key`, creating `directory` if needed.
llvm::Error storeCachedSolution(llvm::StringRef directory, uint64_t key,
                                const ::weft::schedule::Solution &solution);

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_SCHEDULECACHE_H
