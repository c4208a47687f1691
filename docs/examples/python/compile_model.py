"""Compile a model for Hopper and look at its schedules.

  compile_model.py [MODEL.onnx] [OUT_DIR]
"""
import sys

import weft

model = sys.argv[1] if len(sys.argv) > 1 else "docs/examples/transformer_block.onnx"
out = sys.argv[2] if len(sys.argv) > 2 else "."

result = weft.compile(model, target="sm_90a", keep_stages=True,
                      progress=weft.print_progress)
print("stages:", ", ".join(result.stages))
for loop in result.schedules:
    print(loop)  # II, bound, certificate, partitions

# The loop with the most warp groups, drawn over three iterations.
loop = max(result.schedules, key=lambda l: len(l.partitions))
print("certificate: every II in", loop.certificate.refuted_iis, "is infeasible")
for op in loop.ops[:4]:
    print(f"  {op.location or op.op}: {op.kind} on {op.unit}, "
          f"partition {op.partition}, stage {op.stage}")
weft.plot_schedule(loop, path=f"{out}/schedule.svg")
weft.plot_schedule(loop, path=f"{out}/schedule.png")
