//===- PipeDialect.td - The pipe scheduled-program dialect -*- tablegen -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEDIALECT_TD
#define WEFT_DIALECT_PIPE_IR_PIPEDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Pipe_Dialect : Dialect {
  let name = "pipe";
  let cppNamespace = "::mlir::weft::pipe";
  let summary = "Scheduled, warp-specialized programs";
  let description = [{
    The `pipe` dialect holds what the schedule solver decided: partitions
    (warp groups with a role and a register budget) that run concurrently,
    channels between them (asynchronous references with a depth equal to the
    number of pipeline stages they span, implemented with mbarriers on NVIDIA,
    LDS flags on AMD and plain buffers on CPUs), the schedule of a loop as
    `#pipe.schedule<...>` and the machine it was solved for as
    `#pipe.machine<...>`, which a lit test can write inline.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
}

class Pipe_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pipe_Dialect, mnemonic, traits>;

#endif // WEFT_DIALECT_PIPE_IR_PIPEDIALECT_TD
