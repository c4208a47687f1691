"""The weft package over the C API: import, pass pipelines, compile, errors."""
import re

import pytest

import weft


def test_import_onnx_from_proto_bytes_and_file(mlp_model, tmp_path):
    path = tmp_path / "mlp.onnx"
    path.write_bytes(mlp_model.SerializeToString())
    for source in (mlp_model, mlp_model.SerializeToString(), path, str(path)):
        module = weft.import_onnx(source)
        text = str(module)
        assert "weft.matmul" in text and "weft.relu" in text
    assert 'loc("fc"' in module.print(debug_info=True)


def test_import_errors_name_the_file(tmp_path):
    with pytest.raises(weft.WeftError) as info:
        weft.import_onnx(tmp_path / "missing.onnx")
    assert "missing.onnx" in info.value.diagnostics
    with pytest.raises(weft.WeftError) as info:
        weft.import_onnx(b"not a model", name="junk.onnx")
    assert "junk.onnx" in info.value.diagnostics


def test_unsupported_node_error_carries_its_name():
    import torch_like
    with pytest.raises(weft.WeftError) as info:
        weft.import_onnx(torch_like.build(bad_node=True))
    assert "TopK node '/layers.0/TopK'" in info.value.diagnostics


def test_pass_pipelines_by_string_and_list(mlp_model):
    module = weft.import_onnx(mlp_model)
    module.run_passes("builtin.module(weft-graph-fusion)")
    fused = str(module)
    assert "weft.kernel" in fused
    again = weft.import_onnx(mlp_model).run_passes(["weft-graph-fusion"])
    # Equal up to the names of the weight resources (unique per import).
    strip = lambda text: re.sub(r"\b([wb])_\d+\b", r"\1", text)
    assert strip(str(again)) == strip(fused)
    # func.func passes nest implicitly, as on weft-opt's command line.
    wrapped = weft.import_onnx(mlp_model).run_passes(["weft-wrap-kernels"])
    assert str(wrapped).count("weft.kernel @") == 3
    tiled = module.clone().run_passes(
        "weft-tile-kernels{tile-m=32 tile-n=32 tile-k=32}")
    assert "tile.dot" in str(tiled)
    assert "tile.dot" not in str(module)  # the clone was changed, not this


def test_invalid_pipeline_and_parse_errors():
    module = weft.Module.parse("func.func @f() { return }")
    with pytest.raises(weft.WeftError) as info:
        module.run_passes("no-such-pass")
    assert "no-such-pass" in info.value.diagnostics
    with pytest.raises(weft.WeftError) as info:
        weft.Module.parse("func.func @f( {", name="broken.mlir")
    assert "broken.mlir:1:" in info.value.diagnostics


def test_compile_keeps_every_stage_and_reads_schedules(mlp_model):
    events = []
    result = weft.compile(mlp_model, target="sm_90a", keep_stages=True,
                          progress=events.append, timing=True)
    assert list(result.stages) == ["graph"] + weft.compile_stages("sm_90a")
    assert "pipe.warp_specialize" in result.stages["pipe"]
    assert "#pipe.schedule" in result.stages["scheduled"]
    (loop,) = result.schedules
    assert loop.proven_optimal and loop.ii >= loop.lower_bound
    assert loop.certificate.refuted_iis == list(range(loop.lower_bound,
                                                      loop.ii))
    stages = [e.stage for e in events if e.kind == "stage"]
    assert stages == weft.compile_stages("sm_90a")
    solver = [e for e in events if e.kind == "solver"]
    assert solver and all(e.ii >= e.lower_bound for e in solver)
    assert solver[-1].function == loop.function
    assert "WeftSchedule" in result.timing_report
    assert "Total Execution Time" in result.timing_report


def test_compile_targets_and_errors(mlp_model):
    assert "arm-sme2" in weft.known_targets()
    cpu = weft.compile(mlp_model, target="arm-sme2")
    assert weft.compile_stages("arm-sme2") == ["fused", "tile", "scheduled"]
    assert cpu.schedules[0].partitions[0].role == "consumer"
    with pytest.raises(weft.WeftError) as info:
        weft.compile(mlp_model, target="sm_99")
    assert "unknown target 'sm_99'" in info.value.diagnostics


def test_progress_callback_errors_propagate(mlp_model):
    def boom(event):
        raise KeyError("stop")
    with pytest.raises(KeyError):
        weft.compile(mlp_model, target="gfx942", progress=boom)


def test_compile_does_not_change_an_imported_module(mlp_model):
    module = weft.import_onnx(mlp_model)
    before = str(module)
    weft.compile(module, target="sm_100a")
    assert str(module) == before
