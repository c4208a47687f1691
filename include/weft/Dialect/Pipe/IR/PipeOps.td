//===- PipeOps.td - pipe ops --------------------------------*- tablegen -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEOPS_TD
#define WEFT_DIALECT_PIPE_IR_PIPEOPS_TD

include "weft/Dialect/Pipe/IR/PipeAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Channel slots are their own memory resource, so that side-effect analyses
// keep put / get / release ordered among themselves without pinning them
// against unrelated global-memory traffic.
def Pipe_ChannelResource : Resource<"::mlir::weft::pipe::ChannelResource">;

def Pipe_CreateChannelOp : Pipe_Op<"create_channel"> {
  let summary = "allocates a channel's slots and barriers";
  let description = [{
    ```mlir
    %c = pipe.create_channel : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    ```
  }];
  let results = (outs Res<Pipe_ChannelType, "",
                          [MemAlloc<Pipe_ChannelResource>]>:$channel);
  let assemblyFormat = "attr-dict `:` qualified(type($channel))";
}

def Pipe_PutOp : Pipe_Op<"put", [
    TypesMatchWith<"value matches the channel payload", "channel", "value",
                   "::llvm::cast<ChannelType>($_self).getPayload()">]> {
  let summary = "writes a value into the next empty slot of a channel";
  let description = [{
    Waits until the next slot is empty, writes `value` and marks the slot
    full. On NVIDIA a `put` of a `tile.load` result becomes a TMA copy that
    completes the slot's full barrier by itself.

    ```mlir
    pipe.put %k, %c : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    ```
  }];
  let arguments = (ins AnyType:$value,
                       Arg<Pipe_ChannelType, "", [MemWrite<Pipe_ChannelResource>,
                                                  MemRead<Pipe_ChannelResource>]>:$channel);
  let assemblyFormat = "$value `,` $channel attr-dict `:` qualified(type($channel))";
}

def Pipe_GetOp : Pipe_Op<"get", [
    TypesMatchWith<"result matches the channel payload", "channel", "value",
                   "::llvm::cast<ChannelType>($_self).getPayload()">]> {
  let summary = "waits for and reads the oldest full slot of a channel";
  let description = [{
    The slot stays owned by the consumer until `pipe.release`.

    ```mlir
    %k = pipe.get %c : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    ```
  }];
  let arguments = (ins Arg<Pipe_ChannelType, "", [MemRead<Pipe_ChannelResource>,
                                                  MemWrite<Pipe_ChannelResource>]>:$channel);
  let results = (outs AnyType:$value);
  let assemblyFormat = "$channel attr-dict `:` qualified(type($channel))";
}

def Pipe_ReleaseOp : Pipe_Op<"release"> {
  let summary = "hands the oldest read slot of a channel back to the producer";
  let arguments = (ins Arg<Pipe_ChannelType, "", [MemWrite<Pipe_ChannelResource>]>:$channel);
  let assemblyFormat = "$channel attr-dict `:` qualified(type($channel))";
}

def Pipe_WarpSpecializeOp : Pipe_Op<"warp_specialize", [SingleBlock,
    NoTerminator, RecursiveMemoryEffects]> {
  let summary = "runs its partitions concurrently";
  let description = [{
    The body holds only `pipe.partition` ops; each runs on its own warps
    (GPU) or as its own agent (CPU, interpreter) and they communicate only
    through channels and memory. With a `machine`, the verifier checks that
    the partitions fit it: total warps, and registers (warps x 32 threads x
    budget) within the register file.

    ```mlir
    pipe.warp_specialize machine = #m {
      pipe.partition load warps = 1 registers = 24 { ... }
      pipe.partition consumer warps = 4 registers = 240 { ... }
    }
    ```
  }];
  let arguments = (ins OptionalAttr<Pipe_MachineAttr>:$machine);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "(`machine` `=` qualified($machine)^)? attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def Pipe_PartitionOp : Pipe_Op<"partition", [SingleBlock, NoTerminator,
    RecursiveMemoryEffects, HasParent<"WarpSpecializeOp">]> {
  let summary = "one warp group's program, with its role and register budget";
  let description = [{
    `warps` warps run the body. `registers`, when set, is the per-thread
    register limit the partition runs under (`setmaxnreg` on Hopper and
    Blackwell); it must be one of the machine's `register_budgets` when the
    enclosing `pipe.warp_specialize` names a machine.
  }];
  let arguments = (ins Pipe_PartitionRole:$role,
                       ConfinedAttr<I32Attr, [IntPositive]>:$warps,
                       OptionalAttr<I32Attr>:$registers);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $role `warps` `=` $warps (`registers` `=` $registers^)? attr-dict-with-keyword
    $body
  }];
  let hasVerifier = 1;
}

#endif // WEFT_DIALECT_PIPE_IR_PIPEOPS_TD
