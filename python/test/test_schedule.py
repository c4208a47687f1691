"""Solving, reading back and drawing schedules from Python."""
from pathlib import Path

import weft

ROOT = Path(__file__).resolve().parents[2]
GEMM = """
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%x = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16> loc("load_a")
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16> loc("load_b")
    %d = tile.dot %at, %bt, %x : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32> loc("mma")
    scf.yield %d : tensor<128x128xf32>
  }
  return %acc : tensor<128x128xf32>
}
"""


def test_schedule_ir_reads_back_certificate_and_partitions():
    (loop,) = weft.schedule_ir(GEMM, "sm_90a")
    assert loop["proven_optimal"]
    assert loop["ii"] == loop["lower_bound"]
    roles = sorted(p["role"] for p in loop["partitions"])
    assert roles == ["load", "mma"]
    by_name = {op["location"]: op for op in loop["ops"]}
    assert by_name["load_a"]["kind"] == "tma_load"
    assert by_name["mma"]["partition"] != by_name["load_a"]["partition"]


def test_plot_schedule_writes_png_and_svg(tmp_path):
    (loop,) = weft.schedule_ir(GEMM, "sm_90a")
    png = weft.plot_schedule(loop, tmp_path / "gemm.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = weft.plot_schedule(loop, tmp_path / "gemm.svg", iterations=2)
    text = svg.read_text()
    assert "<svg" in text and "load_a" in text


def test_load_schedules_accepts_text_and_paths(tmp_path):
    (loop,) = weft.schedule_ir(GEMM, "sm_100a")
    import json
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"loops": [loop]}))
    assert weft.load_schedules(path)[0]["ii"] == loop["ii"]
    assert weft.load_schedules(path.read_text())[0]["ii"] == loop["ii"]
