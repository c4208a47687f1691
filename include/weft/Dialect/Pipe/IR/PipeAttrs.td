//===- PipeAttrs.td - pipe attributes and types ------------*- tablegen -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEATTRS_TD
#define WEFT_DIALECT_PIPE_IR_PIPEATTRS_TD

include "weft/Dialect/Pipe/IR/PipeDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

class Pipe_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Pipe_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Pipe_PartitionRole : I32EnumAttr<"PartitionRole",
    "what a partition (warp group) does", [
      I32EnumAttrCase<"load", 0>,        // issues async copies (TMA, cp.async)
      I32EnumAttrCase<"mma", 1>,         // issues tensor-core / matrix ops
      I32EnumAttrCase<"compute", 2>,     // CUDA-core math (softmax, dequant)
      I32EnumAttrCase<"correction", 3>,  // rescales accumulators (FA4)
      I32EnumAttrCase<"epilogue", 4>,    // writes results back
      I32EnumAttrCase<"consumer", 5>]> { // mma + compute in one group (FA3)
  let cppNamespace = "::mlir::weft::pipe";
}

def Pipe_FunctionalUnitAttr : Pipe_Attr<"FunctionalUnit", "unit"> {
  let summary = "a functional unit of a machine model";
  let description = [{
    A kind of hardware unit that ops occupy (tensor core, TMA engine, SFU,
    ALU, load/store pipe, SME outer-product unit, ...), how many of them one
    block / core can use at once (`count`), how much work one of them does
    per cycle (`rate`, in the unit of the op kinds bound to it: FLOPs, bytes
    or elements) and its pipeline latency beyond occupancy (`latency`).

    ```mlir
    #pipe.unit<"sfu", count = 1, rate = 16, latency = 16>
    ```
  }];
  let parameters = (ins StringRefParameter<"unit name">:$name,
                        "unsigned":$count,
                        DefaultValuedParameter<"uint64_t", "1">:$rate,
                        DefaultValuedParameter<"uint64_t", "0">:$latency);
  let assemblyFormat = "`<` $name `,` struct($count, $rate, $latency) `>`";
  let genVerifyDecl = 1;
}

def Pipe_WorkMeasure : I32EnumAttr<"WorkMeasure",
    "how an op kind's work is counted", [
      I32EnumAttrCase<"flops", 0>, I32EnumAttrCase<"bytes", 1>,
      I32EnumAttrCase<"elements", 2>]> {
  let cppNamespace = "::mlir::weft::pipe";
}

def Pipe_Completion : I32EnumAttr<"Completion",
    "how the issuing partition learns that an op is done", [
      I32EnumAttrCase<"sync", 0>,       // the issuing threads execute it
      I32EnumAttrCase<"async", 1>,      // issued, then waited on by the issuer
      I32EnumAttrCase<"variable", 2>]> { // async, completion time unknown
  let cppNamespace = "::mlir::weft::pipe";
}

def Pipe_OpKindAttr : Pipe_Attr<"OpKind", "kind"> {
  let summary = "how ops of one kind use a machine";
  let description = [{
    Binds an op kind of the schedule (`mma`, `tma_load`, `cp_async`, `exp`,
    `alu`, `reduce`, `convert`, ...) to the unit that executes it. An op's
    occupancy is its work (counted as `measure`) times `work_scale` divided
    by the unit's rate; its latency adds the unit's latency and
    `extra_latency`. `completion = async` ops keep their issuing partition
    busy for `issue` cycles only (wgmma, TMA, tcgen05); `completion =
    variable` ops are asynchronous and complete at a time not known
    statically, so they are issued from a producer partition.

    ```mlir
    #pipe.kind<"tma_load", unit = "tma", measure = bytes, issue = 2,
               extra_latency = 600, completion = variable>
    ```
  }];
  let parameters = (ins StringRefParameter<"kind name">:$name,
                        StringRefParameter<"unit name">:$unit,
                        "WorkMeasure":$measure,
                        DefaultValuedParameter<"uint64_t", "1">:$issue,
                        DefaultValuedParameter<"uint64_t", "0">:$extra_latency,
                        DefaultValuedParameter<"uint64_t", "1">:$work_scale,
                        DefaultValuedParameter<"Completion", "Completion::sync">:$completion);
  let assemblyFormat = [{
    `<` $name `,` struct($unit, $measure, $issue, $extra_latency, $work_scale,
                         $completion) `>`
  }];
  let genVerifyDecl = 1;
}

def Pipe_MachineAttr : Pipe_Attr<"Machine", "machine"> {
  let summary = "the machine model a schedule is solved for";
  let description = [{
    Functional units, the op kinds bound to them, and capacities of one
    thread block (GPU) or core (CPU).
    Presets exist for sm_80, sm_90a, sm_100a, gfx942 and an Arm SME2 core;
    tests may declare their own.

    * `smem_bytes`: shared memory / LDS available to a block.
    * `tmem_columns`: tensor memory columns (Blackwell), 0 elsewhere.
    * `register_file`: 32-bit registers per SM / CU / core.
    * `max_registers`: registers one thread may hold.
    * `max_warps`: warps (waves) one block may run.
    * `warp_group_size`: warps that issue a tensor-core op together.
    * `register_budgets`: the per-thread register limits a partition may be
      given (`setmaxnreg` on Hopper, e.g. `[24, 240]`); empty when the budget
      is fixed for the whole block (then the key is left out).
    * `threads_per_warp`: threads that share a warp's registers (32 on GPUs,
      the default; 1 for a CPU core, whose tiles live in vector registers).
    * `handoff_cycles`: cost of passing a value between partitions.

    ```mlir
    #pipe.machine<"sm_90a", units = [<"tma", count = 1>, <"tc", count = 1>,
        <"alu", count = 4>, <"sfu", count = 1>], smem_bytes = 232448, tmem_columns = 0,
        register_file = 65536, max_registers = 255, max_warps = 32,
        warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 4>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target name">:$name,
    ArrayRefParameter<"FunctionalUnitAttr", "functional units">:$units,
    OptionalArrayRefParameter<"OpKindAttr", "op kinds and their units">:$kinds,
    "uint64_t":$smem_bytes,
    "uint64_t":$tmem_columns,
    "uint64_t":$register_file,
    "unsigned":$max_registers,
    "unsigned":$max_warps,
    "unsigned":$warp_group_size,
    OptionalArrayRefParameter<"unsigned", "per-partition register limits">:$register_budgets,
    DefaultValuedParameter<"unsigned", "32">:$threads_per_warp,
    "unsigned":$handoff_cycles);
  let assemblyFormat = [{
    `<` $name `,` `units` `=` `[` $units `]` `,`
    (`kinds` `=` `[` $kinds^ `]` `,`)? `smem_bytes` `=` $smem_bytes `,`
    `tmem_columns` `=` $tmem_columns `,` `register_file` `=` $register_file `,`
    `max_registers` `=` $max_registers `,` `max_warps` `=` $max_warps `,`
    `warp_group_size` `=` $warp_group_size `,`
    (`register_budgets` `=` `[` $register_budgets^ `]` `,`)?
    (`threads_per_warp` `=` $threads_per_warp^ `,`)?
    `handoff_cycles` `=` $handoff_cycles `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The unit called `unitName`, or null.
    FunctionalUnitAttr lookupUnit(::llvm::StringRef unitName) const;
    /// The binding of op kind `kindName`, or null.
    OpKindAttr lookupKind(::llvm::StringRef kindName) const;
  }];
}

def Pipe_ScheduleAttr : Pipe_Attr<"Schedule", "schedule"> {
  let summary = "the software-pipelined, warp-specialized schedule of a loop";
  let description = [{
    Attached to the `scf.for` whose body was scheduled. `ii` is the initiation
    interval (time between iteration starts) and `lower_bound` the proven
    lower bound MII = max(ResMII, RecMII), both in the solver's normalized
    time unit; `ii_cycles` is the II in machine cycles. `proven_optimal` says
    the solver showed every II below `ii` infeasible (UNSAT): the optimality
    certificate. `stages` is the number of pipeline stages, `length` the
    schedule length of one iteration (normalized), and `partitions` the
    number of warp groups. Per-op decisions are `#pipe.placement` attributes
    on the ops of the loop body, per-partition ones `#pipe.group` attributes
    in the loop's `pipe.groups`.

    ```mlir
    #pipe.schedule<ii = 8, lower_bound = 8, proven_optimal = true, stages = 2,
                   length = 14, ii_cycles = 512, partitions = 3>
    ```
  }];
  let parameters = (ins "int64_t":$ii, "int64_t":$lower_bound,
                        "bool":$proven_optimal, "int64_t":$stages,
                        "int64_t":$length, "int64_t":$ii_cycles,
                        "int64_t":$partitions);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Pipe_PlacementAttr : Pipe_Attr<"Placement", "placement"> {
  let summary = "where the schedule put one op";
  let description = [{
    `cycle` is the issue time within one iteration's schedule (normalized
    units), `stage` = cycle / II, `partition` the index of the warp group
    that issues it, and `buffers` the number of live copies of its result
    (the pipeline depth of the buffer it writes).

    ```mlir
    #pipe.placement<stage = 1, cycle = 9, partition = 2, buffers = 2>
    ```
  }];
  let parameters = (ins "int64_t":$stage, "int64_t":$cycle,
                        "int64_t":$partition,
                        DefaultValuedParameter<"int64_t", "1">:$buffers);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Pipe_GroupAttr : Pipe_Attr<"Group", "group"> {
  let summary = "one warp group of a schedule";
  let description = [{
    The role the schedule gave a warp group, the per-thread register budget
    it runs under and the registers its live values need.

    ```mlir
    #pipe.group<role = load, registers = 24, needed = 0>
    ```
  }];
  let parameters = (ins "PartitionRole":$role, "int64_t":$registers,
                        "int64_t":$needed);
  let assemblyFormat = "`<` struct(params) `>`";
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

class Pipe_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Pipe_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Pipe_MemorySpace : I32EnumAttr<"MemorySpace",
    "where a channel's slots live", [
      I32EnumAttrCase<"shared", 0>,     // shared memory / LDS
      I32EnumAttrCase<"tensor", 1>,     // Blackwell tensor memory
      I32EnumAttrCase<"registers", 2>]> {
  let cppNamespace = "::mlir::weft::pipe";
}

def Pipe_ChannelType : Pipe_Type<"Channel", "channel"> {
  let summary = "a bounded FIFO of tiles between partitions";
  let description = [{
    `depth` slots, each holding one `payload` value. A producer `put`s into
    the next empty slot (waiting while all are full); each of the
    `consumers` partitions `get`s the oldest full slot it has not read and
    `release`s it when done; once all of them have released a slot the
    producer may reuse it (one TMA fill feeding two consumer warp groups is
    one channel with two consumers). On NVIDIA each slot has a full and an
    empty mbarrier (the empty one expecting `consumers` arrivals) whose phase
    flips on wrap-around.

    ```mlir
    !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    !pipe.channel<tensor<128x64xf16>, depth = 2, shared, consumers = 2>
    ```
  }];
  let parameters = (ins "::mlir::Type":$payload, "unsigned":$depth,
                        "MemorySpace":$space,
                        DefaultValuedParameter<"unsigned", "1">:$consumers);
  let assemblyFormat = [{
    `<` $payload `,` `depth` `=` $depth `,` $space
    (`,` `consumers` `=` $consumers^)? `>`
  }];
  let genVerifyDecl = 1;
}

#endif // WEFT_DIALECT_PIPE_IR_PIPEATTRS_TD
