//===- JointSolver.cpp - Phase 2: joint software pipelining + WS ---------===//
//
// Time-indexed encoding over one iteration of schedule length L (issue times
// in [0, L)), which with modulo-consistent resources covers the ceil(L / II)
// overlapped iterations of the steady state:
//
//  * order ("ladder") variables y[v][t] = "v issued at or before t"; the
//    issue time is the first t with y true, so uniqueness is free and a
//    dependence M(v) >= M(u) + D is the binary clauses y[v][t] -> y[u][t-D];
//  * residue literals rho[v][k] <- issue at t with t mod II = k carry unit
//    capacity (pseudo-Boolean, one per unit and residue), warp-group
//    sequencing and buffer lifetimes;
//  * warp-group literals g[v][w] (exactly one, symmetry broken by value
//    precedence) and same[u][v] <-> "u and v share a group";
//  * buffer-copy literals atLeast[v][k] <- "the result of v is live for more
//    than (k-1) * II cycles", from which memory capacity and register need
//    follow as pseudo-Boolean sums.
//
//===----------------------------------------------------------------------===//

#include "SolverImpl.h"

#include <z3++.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <numeric>
#include <optional>

using namespace weft::schedule;
using namespace weft::schedule::detail;

namespace {

/// Largest (ops x time points) the time-indexed encoding is built for.
constexpr int64_t kMaxTimePoints = 2000000;

/// A literal that may be a constant, so clauses can be simplified while they
/// are built instead of handing trivial clauses to Z3.
struct Lit {
  enum Kind { False, True, Var } kind;
  z3::expr var;
  static Lit constant(z3::context &ctx, bool value) {
    return {value ? True : False, ctx.bool_val(value)};
  }
  static Lit of(const z3::expr &e) { return {Var, e}; }
  Lit operator!() const {
    if (kind == Var)
      return {Var, !var};
    return {kind == True ? False : True, var};
  }
};

class ClauseSink {
public:
  ClauseSink(z3::solver &solver) : solver(solver) {}
  /// Adds the disjunction; returns false if it is empty (UNSAT).
  bool add(std::initializer_list<Lit> lits) {
    z3::expr_vector vec(solver.ctx());
    for (const Lit &l : lits) {
      if (l.kind == Lit::True)
        return true;
      if (l.kind == Lit::Var)
        vec.push_back(l.var);
    }
    if (vec.empty()) {
      trivialUnsat = true;
      return false;
    }
    solver.add(vec.size() == 1 ? vec[0] : z3::mk_or(vec));
    ++clauses;
    return true;
  }
  bool trivialUnsat = false;
  size_t clauses = 0;

private:
  z3::solver &solver;
};

int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/// sum(coeff_i * lit_i) <= bound over literals; coefficients are divided by
/// their gcd (the bound floored accordingly) so they fit Z3's int API.
bool addWeightedAtMost(z3::solver &solver, std::vector<Lit> lits,
                       std::vector<int64_t> coeffs, int64_t bound,
                       bool &trivialUnsat) {
  int64_t divisor = 0, total = 0;
  z3::expr_vector vec(solver.ctx());
  std::vector<int64_t> kept;
  for (size_t i = 0; i < lits.size(); ++i) {
    if (coeffs[i] == 0 || lits[i].kind == Lit::False)
      continue;
    if (lits[i].kind == Lit::True) {
      bound -= coeffs[i];
      continue;
    }
    vec.push_back(lits[i].var);
    kept.push_back(coeffs[i]);
    divisor = gcd64(divisor, coeffs[i]);
    total += coeffs[i];
  }
  if (bound < 0) {
    trivialUnsat = true;
    return false;
  }
  if (total <= bound)
    return true;
  std::vector<int> small;
  for (int64_t c : kept)
    small.push_back(static_cast<int>(c / divisor));
  int64_t scaledBound = bound / divisor;
  if (scaledBound > INT32_MAX)
    return true;
  solver.add(z3::pble(vec, small.data(), static_cast<int>(scaledBound)));
  return true;
}

class JointEncoding {
public:
  /// `moduloOnly`: only issue times, dependences and unit capacity (the
  /// phase 1 problem), on one warp group.
  JointEncoding(z3::context &ctx, z3::solver &solver, const Problem &problem,
                int64_t ii, int64_t length, unsigned groups, bool specialize,
                bool moduloOnly = false)
      : ctx(ctx), solver(solver), sink(solver), P(problem),
        n(problem.ops.size()), II(ii), L(length), W(moduloOnly ? 1 : groups),
        specialize(specialize && !moduloOnly), moduloOnly(moduloOnly) {}

  /// Builds all constraints; false if the instance is trivially UNSAT.
  bool build();
  /// Assumptions restricting every issue time to [0, length).
  z3::expr_vector lengthAssumptions(int64_t length) const;
  void extract(const z3::model &model, std::vector<int64_t> &issue,
               std::vector<unsigned> &group) const;
  size_t clauseCount() const { return sink.clauses; }
  /// Assumption "groups w >= count are empty" (value precedence makes
  /// emptiness of group `count` imply emptiness of all later ones).
  std::optional<z3::expr> atMostGroups(unsigned count) const {
    if (count >= usedGroup.size())
      return std::nullopt;
    return !usedGroup[count];
  }

private:
  Lit y(size_t v, int64_t t) const {
    if (t < lo[v])
      return Lit::constant(ctx, false);
    if (t >= hi[v])
      return Lit::constant(ctx, true);
    return Lit::of(order[v][t - lo[v]]);
  }
  Lit rho(size_t v, int64_t k) const {
    return residue[v][k] ? Lit::of(*residue[v][k]) : Lit::constant(ctx, false);
  }
  Lit groupLit(size_t v, unsigned w) const {
    if (W == 1)
      return Lit::constant(ctx, true);
    if (w > v)
      return Lit::constant(ctx, false);
    return Lit::of(inGroup[v][w]);
  }
  Lit same(size_t u, size_t v) {
    if (W == 1 || u == v)
      return Lit::constant(ctx, true);
    if (u > v)
      std::swap(u, v);
    auto it = sameGroup.find({u, v});
    if (it != sameGroup.end())
      return Lit::of(it->second);
    z3::expr s = ctx.bool_const(
        ("same_" + std::to_string(u) + "_" + std::to_string(v)).c_str());
    sameGroup.emplace(std::make_pair(u, v), s);
    for (unsigned w = 0; w < W; ++w) {
      sink.add({!groupLit(u, w), !groupLit(v, w), Lit::of(s)});
      sink.add({Lit::of(!s), !groupLit(u, w), groupLit(v, w)});
    }
    return Lit::of(s);
  }
  z3::expr fresh(const std::string &name) {
    return ctx.bool_const((name + "_" + std::to_string(counter++)).c_str());
  }

  bool buildTimes();
  bool buildUnits();
  bool buildGroups();
  bool buildDependences();
  bool buildGroupSequencing();
  bool buildLifetimes();
  bool buildMemory();
  bool buildRegisters();

  z3::context &ctx;
  z3::solver &solver;
  ClauseSink sink;
  const Problem &P;
  size_t n;
  int64_t II, L;
  unsigned W;
  bool specialize;
  bool moduloOnly;
  unsigned counter = 0;

  std::vector<int64_t> lo, hi;
  std::vector<std::vector<z3::expr>> order;
  std::vector<std::vector<std::optional<z3::expr>>> residue;
  std::vector<std::vector<z3::expr>> inGroup;
  std::map<std::pair<size_t, size_t>, z3::expr> sameGroup;
  std::vector<std::optional<z3::expr>> waits;
  std::vector<z3::expr> usedGroup;
  /// copies[v][k - 2] = "at least k live copies of v's result".
  std::vector<std::vector<z3::expr>> copies;
};

bool JointEncoding::build() {
  if (moduloOnly)
    return buildTimes() && buildUnits() && buildDependences() &&
           !sink.trivialUnsat;
  return buildTimes() && buildUnits() && buildGroups() && buildDependences() &&
         buildGroupSequencing() && buildLifetimes() && buildMemory() &&
         buildRegisters() && !sink.trivialUnsat;
}

bool JointEncoding::buildTimes() {
  std::vector<int64_t> asap, tail;
  if (!asapTimes(P, II, asap, specialize) ||
      !tailTimes(P, II, tail, specialize))
    return false;
  lo = asap;
  hi.resize(n);
  order.resize(n);
  residue.assign(n, std::vector<std::optional<z3::expr>>(II));
  for (size_t v = 0; v < n; ++v) {
    hi[v] = L - 1 - tail[v];
    if (hi[v] < lo[v])
      return false;
    for (int64_t t = lo[v]; t < hi[v]; ++t)
      order[v].push_back(ctx.bool_const(
          ("y" + std::to_string(v) + "_" + std::to_string(t)).c_str()));
    for (int64_t t = lo[v]; t + 1 < hi[v]; ++t)
      sink.add({!y(v, t), y(v, t + 1)});
    for (int64_t t = lo[v]; t <= hi[v] && t < lo[v] + II; ++t)
      residue[v][floorMod(t, II)] = ctx.bool_const(
          ("rho" + std::to_string(v) + "_" + std::to_string(floorMod(t, II)))
              .c_str());
    // Issue at t (y[t] and not y[t-1]) selects residue t mod II.
    for (int64_t t = lo[v]; t <= hi[v]; ++t)
      sink.add({!y(v, t), y(v, t - 1), rho(v, floorMod(t, II))});
    z3::expr_vector residues(ctx);
    for (int64_t k = 0; k < II; ++k)
      if (residue[v][k])
        residues.push_back(*residue[v][k]);
    if (residues.size() > 1)
      solver.add(z3::atmost(residues, 1));
  }
  return true;
}

bool JointEncoding::buildUnits() {
  const MachineModel &m = P.machine;
  // Single-instance units: occupancy literals per residue and pairwise
  // exclusion, as binary clauses. Redundant with the pseudo-Boolean rows
  // below but they propagate far better (the PB rows alone make UNSAT
  // proofs at tight IIs slow).
  for (size_t u = 0; u < m.units.size(); ++u) {
    if (m.units[u].count != 1)
      continue;
    std::vector<std::vector<std::optional<z3::expr>>> occupies(
        n, std::vector<std::optional<z3::expr>>(II));
    for (size_t v = 0; v < n; ++v) {
      std::vector<bool> covers(II, false);
      for (const Reservation &r : P.ops[v].reservations)
        if (r.unitIndex == u)
          for (int64_t j = 0; j < r.cycles && j < II; ++j)
            covers[floorMod(r.offset + j, II)] = true;
      for (int64_t k = 0; k < II; ++k) {
        if (!residue[v][k])
          continue;
        for (int64_t c = 0; c < II; ++c) {
          if (!covers[c])
            continue;
          int64_t at = floorMod(k + c, II);
          if (!occupies[v][at])
            occupies[v][at] =
                fresh("occ" + std::to_string(u) + "_" + std::to_string(v) +
                      "_" + std::to_string(at));
          sink.add({!rho(v, k), Lit::of(*occupies[v][at])});
        }
      }
    }
    for (int64_t c = 0; c < II; ++c)
      for (size_t a = 0; a < n; ++a)
        for (size_t b = a + 1; b < n; ++b)
          if (occupies[a][c] && occupies[b][c])
            sink.add({Lit::of(!*occupies[a][c]), Lit::of(!*occupies[b][c])});
  }
  for (size_t u = 0; u < m.units.size(); ++u) {
    for (int64_t c = 0; c < II; ++c) {
      std::map<std::pair<size_t, int64_t>, int64_t> weight;
      for (size_t v = 0; v < n; ++v)
        for (const Reservation &r : P.ops[v].reservations) {
          if (r.unitIndex != u)
            continue;
          for (int64_t j = 0; j < r.cycles; ++j)
            ++weight[{v, floorMod(c - r.offset - j, II)}];
        }
      std::vector<Lit> lits;
      std::vector<int64_t> coeffs;
      for (const auto &entry : weight) {
        lits.push_back(rho(entry.first.first, entry.first.second));
        coeffs.push_back(entry.second);
      }
      if (!addWeightedAtMost(solver, lits, coeffs, m.units[u].count,
                             sink.trivialUnsat))
        return false;
    }
  }
  return true;
}

bool JointEncoding::buildGroups() {
  if (W == 1)
    return true;
  inGroup.resize(n);
  for (size_t v = 0; v < n; ++v) {
    z3::expr_vector options(ctx);
    for (unsigned w = 0; w < W && w <= v; ++w) {
      inGroup[v].push_back(ctx.bool_const(
          ("g" + std::to_string(v) + "_" + std::to_string(w)).c_str()));
      options.push_back(inGroup[v].back());
    }
    solver.add(z3::atleast(options, 1));
    solver.add(z3::atmost(options, 1));
    // Value precedence: group w opens only after group w - 1 has an op.
    for (unsigned w = 1; w < W && w <= v; ++w) {
      z3::expr_vector earlier(ctx);
      earlier.push_back(!inGroup[v][w]);
      for (size_t u = w - 1; u < v; ++u)
        earlier.push_back(inGroup[u][w - 1]);
      solver.add(z3::mk_or(earlier));
    }
  }
  if (specialize) {
    // Variable-latency ops are issued from dedicated groups, one engine
    // kind per group: the issuing loop waits on that engine's barriers only.
    for (size_t v = 0; v < n; ++v) {
      if (!P.ops[v].variableLatency)
        continue;
      for (size_t u = 0; u < n; ++u) {
        if (u == v)
          continue;
        if (!P.ops[u].variableLatency || P.ops[u].kind != P.ops[v].kind)
          sink.add({!same(u, v)});
      }
    }
  }
  return true;
}

bool JointEncoding::buildDependences() {
  const int64_t handoff = P.machine.handoffCost;
  waits.assign(n, std::nullopt);
  for (const Edge &e : P.edges) {
    const int64_t delay = e.latency - e.distance * II;
    if (e.src == e.dst) {
      if (delay > 0)
        return false;
      continue;
    }
    const bool pinned = P.ops[e.src].registerResident && !e.scalarHandoff;
    if (pinned)
      sink.add({same(e.src, e.dst)});
    const bool mayCross = W > 1 && !pinned;
    const bool mustCross = forcedCrossGroup(P, e, specialize);
    for (int64_t t = lo[e.dst]; t <= hi[e.dst]; ++t) {
      if (mustCross) {
        sink.add({!y(e.dst, t), y(e.src, t - delay - handoff)});
        continue;
      }
      sink.add({!y(e.dst, t), y(e.src, t - delay)});
      if (mayCross && handoff > 0)
        sink.add(
            {!y(e.dst, t), y(e.src, t - delay - handoff), same(e.src, e.dst)});
    }
    if (mayCross) {
      if (!waits[e.dst])
        waits[e.dst] = fresh("wait" + std::to_string(e.dst));
      sink.add({same(e.src, e.dst), Lit::of(*waits[e.dst])});
    }
  }
  return true;
}

bool JointEncoding::buildGroupSequencing() {
  // busy[v][c]: v holds its warp group at residue c.
  std::vector<std::vector<std::optional<z3::expr>>> busy(
      n, std::vector<std::optional<z3::expr>>(II));
  auto busyLit = [&](size_t v, int64_t c) -> z3::expr {
    if (!busy[v][c])
      busy[v][c] = fresh("busy" + std::to_string(v) + "_" + std::to_string(c));
    return *busy[v][c];
  };
  for (size_t v = 0; v < n; ++v) {
    const Op &op = P.ops[v];
    const int64_t base = op.issueCycles;
    const int64_t full = detail::groupHoldCycles(P, op, /*waits=*/true);
    if (base > II)
      return false;
    if (waits[v] && full > II)
      sink.add({Lit::of(!*waits[v])});
    for (int64_t k = 0; k < II; ++k) {
      if (!residue[v][k])
        continue;
      for (int64_t j = 0; j < base; ++j)
        sink.add({!rho(v, k), Lit::of(busyLit(v, floorMod(k + j, II)))});
      if (waits[v] && full <= II)
        for (int64_t j = base; j < full; ++j)
          sink.add({!rho(v, k), Lit::of(!*waits[v]),
                    Lit::of(busyLit(v, floorMod(k + j, II)))});
    }
  }
  for (size_t u = 0; u < n; ++u)
    for (size_t v = u + 1; v < n; ++v)
      for (int64_t c = 0; c < II; ++c)
        if (busy[u][c] && busy[v][c])
          sink.add({!same(u, v), Lit::of(!*busy[u][c]), Lit::of(!*busy[v][c])});
  return true;
}

bool JointEncoding::buildLifetimes() {
  copies.resize(n);
  for (size_t v = 0; v < n; ++v) {
    const Op &op = P.ops[v];
    if (op.smemBytes == 0 && op.tmemColumns == 0 && op.registersPerThread == 0)
      continue;
    int64_t longest = 0;
    for (const Edge &e : P.edges)
      if (e.src == v && e.dst != v && !e.inPlace)
        longest = std::max(longest, hi[e.dst] + e.distance * II +
                                        P.ops[e.dst].occupancyEnd() - lo[v]);
    const int64_t maxCopies = ceilDiv(longest, II);
    for (int64_t k = 2; k <= maxCopies; ++k) {
      copies[v].push_back(
          fresh("copies" + std::to_string(v) + "_" + std::to_string(k)));
      if (k > 2)
        sink.add({Lit::of(!copies[v][k - 2]), Lit::of(copies[v][k - 3])});
      for (const Edge &e : P.edges) {
        if (e.src != v || e.dst == v || e.inPlace)
          continue;
        // M(c) > M(v) + D  forces  k copies.
        const int64_t d =
            (k - 1) * II - e.distance * II - P.ops[e.dst].occupancyEnd();
        for (int64_t t = lo[v]; t <= hi[v]; ++t)
          sink.add({!y(v, t), y(e.dst, t + d), Lit::of(copies[v][k - 2])});
      }
    }
  }
  return true;
}

bool JointEncoding::buildMemory() {
  auto capacity = [&](auto footprint, int64_t limit) {
    std::vector<Lit> lits;
    std::vector<int64_t> coeffs;
    for (size_t v = 0; v < n; ++v) {
      int64_t size = footprint(P.ops[v]);
      if (size == 0)
        continue;
      lits.push_back(Lit::constant(ctx, true));
      coeffs.push_back(size);
      for (const z3::expr &c : copies[v]) {
        lits.push_back(Lit::of(c));
        coeffs.push_back(size);
      }
    }
    return addWeightedAtMost(solver, lits, coeffs, limit, sink.trivialUnsat);
  };
  return capacity([](const Op &op) { return op.smemBytes; },
                  P.machine.smemBytes - P.fixedSmemBytes) &&
         capacity([](const Op &op) { return op.tmemColumns; },
                  P.machine.tmemColumns - P.fixedTmemColumns);
}

bool JointEncoding::buildRegisters() {
  const MachineModel &m = P.machine;
  const std::vector<int64_t> budgets = legalBudgets(m);
  const int64_t threads = m.threadsPerWarpGroup();
  const bool uniform = m.registerBudgets.empty();

  // need(w) terms and used(w).
  std::vector<std::vector<Lit>> needLits(W);
  std::vector<std::vector<int64_t>> needCoeffs(W);
  std::vector<int64_t> needMax(W, 0);
  std::vector<z3::expr> used;
  for (unsigned w = 0; w < W; ++w) {
    used.push_back(fresh("used" + std::to_string(w)));
    for (size_t v = 0; v < n; ++v) {
      Lit member = groupLit(v, w);
      if (member.kind == Lit::False)
        continue;
      sink.add({!member, Lit::of(used[w])});
      int64_t regs = P.ops[v].registersPerThread;
      if (regs == 0)
        continue;
      needLits[w].push_back(member);
      needCoeffs[w].push_back(regs);
      needMax[w] += regs;
      for (const z3::expr &c : copies[v]) {
        Lit both = Lit::of(fresh("regcopy"));
        sink.add({!member, Lit::of(!c), both});
        needLits[w].push_back(both);
        needCoeffs[w].push_back(regs);
        needMax[w] += regs;
      }
    }
    if (W == 1)
      break;
  }
  if (W == 1)
    used[0] = ctx.bool_val(true);
  else
    usedGroup = used;

  // budget choice literal b, need(w) <= budget when b holds:
  // need + M * b <= budget + M.
  auto boundNeed = [&](unsigned w, const z3::expr &choice, int64_t budget) {
    std::vector<Lit> lits = needLits[w];
    std::vector<int64_t> coeffs = needCoeffs[w];
    const int64_t big = needMax[w];
    lits.push_back(Lit::of(choice));
    coeffs.push_back(big);
    return addWeightedAtMost(solver, lits, coeffs, budget + big,
                             sink.trivialUnsat);
  };

  if (!uniform) {
    std::vector<Lit> fileLits;
    std::vector<int64_t> fileCoeffs;
    for (unsigned w = 0; w < W; ++w) {
      z3::expr_vector choices(ctx);
      for (int64_t b : budgets) {
        z3::expr choice =
            fresh("budget" + std::to_string(w) + "_" + std::to_string(b));
        choices.push_back(choice);
        if (!boundNeed(w, choice, b))
          return false;
        fileLits.push_back(Lit::of(choice));
        fileCoeffs.push_back(threads * b);
      }
      solver.add(z3::atmost(choices, 1));
      solver.add(z3::implies(used[w], z3::mk_or(choices)));
    }
    return addWeightedAtMost(solver, fileLits, fileCoeffs, m.registerFileSize,
                             sink.trivialUnsat);
  }

  // One allocation shared by every thread.
  z3::expr_vector choices(ctx);
  for (int64_t b : budgets) {
    z3::expr choice = fresh("uniform" + std::to_string(b));
    choices.push_back(choice);
    for (unsigned w = 0; w < W; ++w)
      if (!boundNeed(w, choice, b))
        return false;
    std::vector<Lit> lits;
    std::vector<int64_t> coeffs;
    for (unsigned w = 0; w < W; ++w) {
      lits.push_back(Lit::of(used[w]));
      coeffs.push_back(threads * b);
    }
    const int64_t big = threads * b * W;
    lits.push_back(Lit::of(choice));
    coeffs.push_back(big);
    if (!addWeightedAtMost(solver, lits, coeffs, m.registerFileSize + big,
                           sink.trivialUnsat))
      return false;
  }
  solver.add(z3::atleast(choices, 1));
  solver.add(z3::atmost(choices, 1));
  return true;
}

z3::expr_vector JointEncoding::lengthAssumptions(int64_t length) const {
  z3::expr_vector assumptions(ctx);
  for (size_t v = 0; v < n; ++v) {
    Lit l = y(v, length - 1);
    if (l.kind == Lit::Var)
      assumptions.push_back(l.var);
    else if (l.kind == Lit::False)
      assumptions.push_back(ctx.bool_val(false));
  }
  return assumptions;
}

void JointEncoding::extract(const z3::model &model, std::vector<int64_t> &issue,
                            std::vector<unsigned> &group) const {
  issue.assign(n, 0);
  group.assign(n, 0);
  for (size_t v = 0; v < n; ++v) {
    int64_t t = lo[v];
    while (t < hi[v] && !model.eval(y(v, t).var, true).is_true())
      ++t;
    issue[v] = t;
    if (W > 1)
      for (unsigned w = 0; w < W && w <= v; ++w)
        if (model.eval(inGroup[v][w], true).is_true())
          group[v] = w;
  }
}

SatResult toSat(z3::check_result r) {
  return r == z3::sat     ? SatResult::Sat
         : r == z3::unsat ? SatResult::Unsat
                          : SatResult::Unknown;
}

} // namespace

JointOutcome detail::solveJoint(const Problem &problem, int64_t startII,
                                int64_t maxII, const SolverOptions &options,
                                const Deadline &deadline, Solution &solution) {
  JointOutcome outcome;
  const MachineModel &m = problem.machine;
  unsigned groups = 1;
  if (options.enableWarpSpecialization) {
    int64_t machineGroups = std::max<int64_t>(
        1, m.maxWarpsPerBlock / std::max<int64_t>(1, m.warpGroupSize));
    groups = static_cast<unsigned>(std::min<int64_t>(
        {static_cast<int64_t>(options.maxWarpGroups), machineGroups,
         static_cast<int64_t>(problem.ops.size())}));
    groups = std::max(groups, 1u);
  }
  const bool specialize = options.enableWarpSpecialization;

  for (int64_t ii = startII; ii <= maxII; ++ii) {
    if (deadline.expired()) {
      outcome.timedOut = true;
      return outcome;
    }
    if (options.onProgress)
      options.onProgress({2, ii, solution.lowerBound, deadline.elapsedMs()});
    std::vector<int64_t> asap, tail;
    if (!asapTimes(problem, ii, asap, specialize) ||
        !tailTimes(problem, ii, tail, specialize) ||
        !capacityLowerBoundsHold(problem, ii, specialize)) {
      // A recurrence through forced hand-offs or a minimum buffer depth
      // rules this II out without a query; recorded as UNSAT.
      solution.stats.attempts.push_back({2, ii, 0, SatResult::Unsat, 0.0});
      continue;
    }
    int64_t minLength = 1;
    for (size_t v = 0; v < problem.ops.size(); ++v)
      minLength = std::max(minLength, asap[v] + tail[v] + 1);
    const int64_t stages = ceilDiv(minLength, ii) + options.extraStages;
    const int64_t length = stages * ii;
    if (length * static_cast<int64_t>(problem.ops.size()) > kMaxTimePoints) {
      outcome.error = "schedule length " + std::to_string(length) +
                      " is too long for the time-indexed encoding; "
                      "normalize costs (SolverOptions::normalizeTo)";
      return outcome;
    }
    outcome.stageBound = stages;
    ++solution.stats.iisTried;

    try {
      z3::context ctx;
      z3::solver solver(ctx, "QF_FD");
      z3::params params(ctx);
      params.set("random_seed", options.randomSeed);
      // Z3 would take SIGINT for itself (to stop a query) and the compile
      // would go on as after a time-out; Ctrl-C must stop the compiler.
      params.set("ctrl_c", false);
      solver.set(params);
      auto setTimeout = [&]() {
        z3::params p(ctx);
        unsigned left = deadline.remainingMs();
        p.set("timeout", left ? left : 4294967295u);
        solver.set(p);
      };
      Deadline queryClock(0);
      JointEncoding encoding(ctx, solver, problem, ii, length, groups,
                             specialize);
      SatResult result = SatResult::Unsat;
      bool built = encoding.build();
      double buildMs = queryClock.elapsedMs();
      if (built) {
        // Building a large encoding can use up the budget by itself; a query
        // started after the deadline would otherwise get Z3's minimum time
        // slice and could still answer, hiding the time-out.
        if (deadline.expired()) {
          result = SatResult::Unknown;
        } else {
          setTimeout();
          result = toSat(solver.check());
        }
      }
      // Encoding size and solve time per query, for tuning the encoding.
      if (getenv("WEFT_SCHEDULE_DEBUG"))
        fprintf(stderr,
                "phase2 II %lld L %lld build %.1f ms (%zu clauses) "
                "solve %.1f ms\n",
                (long long)ii, (long long)length, buildMs,
                encoding.clauseCount(), queryClock.elapsedMs() - buildMs);
      solution.stats.attempts.push_back(
          {2, ii, length, result, queryClock.elapsedMs()});
      if (result == SatResult::Unknown) {
        outcome.timedOut = true;
        outcome.allSmallerUnsat = false;
        return outcome;
      }
      if (result == SatResult::Unsat)
        continue;

      std::vector<int64_t> issue;
      std::vector<unsigned> group;
      encoding.extract(solver.get_model(), issue, group);
      // Shorten the schedule while the deadline allows: fewer stages means
      // fewer live buffers and a shorter prologue / epilogue.
      int64_t span = *std::max_element(issue.begin(), issue.end()) + 1;
      int64_t low = minLength;
      while (options.minimizeScheduleLength && low < span &&
             !deadline.expired()) {
        int64_t mid = low + (span - low) / 2;
        setTimeout();
        Deadline probe(0);
        z3::check_result r = solver.check(encoding.lengthAssumptions(mid));
        solution.stats.attempts.push_back(
            {2, ii, mid, toSat(r), probe.elapsedMs()});
        if (r == z3::sat) {
          encoding.extract(solver.get_model(), issue, group);
          span = *std::max_element(issue.begin(), issue.end()) + 1;
        } else if (r == z3::unsat) {
          low = mid + 1;
        } else {
          break;
        }
      }
      // Then use as few warp groups as that schedule length allows: every
      // group costs warps and registers the others could use.
      unsigned groupsUsed = 1 + *std::max_element(group.begin(), group.end());
      while (groupsUsed > 1 && !deadline.expired()) {
        std::optional<z3::expr> fewer = encoding.atMostGroups(groupsUsed - 1);
        if (!fewer)
          break;
        z3::expr_vector assumptions = encoding.lengthAssumptions(span);
        assumptions.push_back(*fewer);
        setTimeout();
        Deadline probe(0);
        z3::check_result r = solver.check(assumptions);
        solution.stats.attempts.push_back(
            {2, ii, span, toSat(r), probe.elapsedMs()});
        if (r != z3::sat)
          break;
        encoding.extract(solver.get_model(), issue, group);
        groupsUsed = 1 + *std::max_element(group.begin(), group.end());
      }
      solution.ii = ii;
      solution.issueCycle = issue;
      solution.warpGroupOf = group;
      solution.warpSpecialized = specialize;
      outcome.found = true;
      return outcome;
    } catch (const z3::exception &ex) {
      outcome.error = std::string("z3: ") + ex.msg();
      return outcome;
    } catch (const std::exception &ex) {
      outcome.error = ex.what();
      return outcome;
    }
  }
  return outcome;
}

int64_t detail::moduloLengthBound(const Problem &problem, int64_t ii) {
  // With residues r fixed, stages satisfy s_v - s_u >= ceil((d - dist*II -
  // r_v + r_u) / II) <= ceil((d - dist*II + II - 1) / II) =: w_e, so the
  // least stage solution is bounded by longest paths under w (if w has no
  // positive cycle) and every feasible residue choice has a schedule with
  // all issue times below II * (that + 1).
  std::vector<Arc> arcs;
  int64_t sum = 0;
  for (const Edge &e : problem.edges) {
    int64_t w = ceilDiv(e.latency - e.distance * ii + ii - 1, ii);
    arcs.push_back({e.src, e.dst, w});
    sum += std::max<int64_t>(0, w);
  }
  std::vector<int64_t> stage;
  int64_t stages = sum;
  if (longestPaths(problem.ops.size(), arcs, stage)) {
    stages = *std::max_element(stage.begin(), stage.end());
  } else {
    // w has positive cycles, but the least stage solution for any feasible
    // residue choice is still a longest *simple* path: enumerate them
    // (loop bodies are small and sparse), with a work cap.
    const size_t n = problem.ops.size();
    std::vector<std::vector<std::pair<unsigned, int64_t>>> out(n);
    for (const Arc &a : arcs)
      if (a.src != a.dst)
        out[a.src].push_back({a.dst, a.weight});
    std::vector<bool> onPath(n, false);
    int64_t best = 0, budget = 2000000;
    bool exhausted = false;
    std::function<void(unsigned, int64_t)> walk = [&](unsigned v, int64_t len) {
      if (exhausted || --budget < 0) {
        exhausted = true;
        return;
      }
      best = std::max(best, len);
      onPath[v] = true;
      for (const auto &next : out[v])
        if (!onPath[next.first])
          walk(next.first, len + std::max<int64_t>(0, next.second));
      onPath[v] = false;
    };
    for (unsigned v = 0; v < n && !exhausted; ++v)
      walk(v, 0);
    if (!exhausted)
      stages = best;
  }
  return ii * (stages + 1);
}

SatResult detail::solveModuloAtII(const Problem &problem, int64_t ii,
                                  unsigned timeoutMs, unsigned seed,
                                  std::vector<int64_t> &issue,
                                  std::string &error) {
  try {
    z3::context ctx;
    z3::solver solver(ctx, "QF_FD");
    z3::params params(ctx);
    params.set("random_seed", seed);
    params.set("ctrl_c", false); // SIGINT stops the compiler, not the query
    if (timeoutMs)
      params.set("timeout", timeoutMs);
    solver.set(params);
    const int64_t length = moduloLengthBound(problem, ii);
    if (length * static_cast<int64_t>(problem.ops.size()) > kMaxTimePoints) {
      error = "schedule length bound " + std::to_string(length) +
              " is too long for the time-indexed encoding; normalize costs "
              "(SolverOptions::normalizeTo)";
      return SatResult::Unknown;
    }
    JointEncoding encoding(ctx, solver, problem, ii, length, 1, false,
                           /*moduloOnly=*/true);
    if (!encoding.build())
      return SatResult::Unsat;
    z3::check_result r = solver.check();
    if (r != z3::sat)
      return toSat(r);
    std::vector<unsigned> group;
    encoding.extract(solver.get_model(), issue, group);
    return SatResult::Sat;
  } catch (const z3::exception &ex) {
    error = std::string("z3: ") + ex.msg();
    return SatResult::Unknown;
  } catch (const std::exception &ex) {
    error = ex.what();
    return SatResult::Unknown;
  }
}
