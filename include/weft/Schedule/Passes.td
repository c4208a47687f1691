//===- Passes.td - schedule passes -------------------------*- tablegen -*-===//
#ifndef WEFT_SCHEDULE_PASSES_TD
#define WEFT_SCHEDULE_PASSES_TD

include "mlir/Pass/PassBase.td"

def WeftAttachMachine : Pass<"weft-attach-machine", "::mlir::ModuleOp"> {
  let summary = "Attaches a machine-model preset to the module";
  let description = [{
    Puts the preset machine model `target` (sm_80, sm_90a, sm_100a, gfx942,
    arm-sme2) on the module as its `pipe.machine` attribute, where
    `weft-schedule` finds it. The printed IR shows every number the solver
    will use; a test can copy it and change what it wants to study.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"sm_90a\"",
           "machine-model preset">
  ];
  let dependentDialects = ["::mlir::weft::pipe::PipeDialect"];
}

def WeftSchedule : Pass<"weft-schedule", "::mlir::func::FuncOp"> {
  let summary = "Solves the optimal software-pipelined, warp-specialized "
                "schedule of tile loops";
  let description = [{
    For every innermost `scf.for` holding tile ops, builds the dependence
    graph of its body (ops classified into the machine's op kinds, costed from
    their work; SSA and loop-carried edges), and solves it with Z3: phase 1
    finds the smallest initiation interval II from the lower bound MII =
    max(ResMII, RecMII) up, each smaller II refuted (the certificate); phase 2
    jointly assigns issue times, warp groups, register budgets and buffer
    depths under the machine's capacities. The loop gets `pipe.schedule`
    (`#pipe.schedule`) and `pipe.groups` (`#pipe.group` per warp group), every
    scheduled op a `pipe.placement`.

    The machine is the nearest `pipe.machine` attribute (see
    `weft-attach-machine`), else the `target` preset. A schedule that is not
    proven optimal (time-out) is kept with a remark saying so; a problem the
    solver rejects is an error at the loop. Solutions are cached in
    `cache-dir` under a hash of the problem and machine.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"sm_90a\"",
           "machine-model preset used when no pipe.machine attribute is set">,
    Option<"timeoutMs", "timeout-ms", "unsigned", /*default=*/"60000",
           "solver time budget per loop (0 = none)">,
    Option<"warpSpecialize", "warp-specialize", "bool", /*default=*/"true",
           "solve warp groups jointly (phase 2); off = modulo schedule only">,
    Option<"heuristic", "heuristic", "bool", /*default=*/"false",
           "use the Triton-like baseline instead of the solver">,
    Option<"cacheDir", "cache-dir", "std::string", /*default=*/"\"\"",
           "directory of cached solutions (empty = no cache)">,
    Option<"normalizeTo", "normalize-to", "int64_t", /*default=*/"32",
           "largest cost after normalization (0 = exact cycles)">,
    Option<"reportStats", "report-stats", "bool", /*default=*/"false",
           "emit a remark per loop with solve times and every solver query">
  ];
  let dependentDialects = ["::mlir::weft::pipe::PipeDialect"];
}

def WeftSpecialize : Pass<"weft-specialize", "::mlir::func::FuncOp"> {
  let summary = "Materializes a scheduled loop as a warp-specialized pipe program";
  let description = [{
    Rewrites every loop carrying a `pipe.schedule` into a
    `pipe.warp_specialize` with one `pipe.partition` per scheduled warp group
    (role and register budget from `pipe.groups`). Each partition runs its
    own copy of the loop holding the ops placed on it; a value produced in
    one partition and used in another travels through a `pipe.channel` whose
    depth is the producer's buffer count: `pipe.put` after the producer,
    `pipe.get` before the first use and `pipe.release` after the last one.
    Loop results are returned from the partition that computes them through
    a depth-1 channel read after the partitions.

    Channels live in shared memory, except on a machine with tensor memory
    (`tmem_columns` > 0, sm_100a): there a channel carrying a tensor-core
    accumulator (a `tile.dot` result, a `tile.dot` accumulator operand, or
    an iter_arg a `tile.dot` computes) with a 32-bit 64- or 128-row payload
    is placed in tensor memory (`tensor`), in the order crossings are found,
    while its lanes x columns fit beside the accumulators that stay inside
    one partition's loop; the others fall back to shared memory.
  }];
  let dependentDialects = ["::mlir::weft::pipe::PipeDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // WEFT_SCHEDULE_PASSES_TD
