"""The PyTorch path: torch.onnx.export -> weft.compile. torch is not
installable here, so the models are built with onnx to look like its export
(opset 17/18, "/layers.0/fc1/MatMul" node names, nn.Linear as MatMul + Add,
LayerNormalization; test/Tools/Inputs/torch_like.py)."""
import pytest

import torch_like
import weft


@pytest.mark.parametrize("opset,target,batch", [(17, "sm_90a", False),
                                                (18, "arm-sme2", True)])
def test_torch_shaped_model_compiles(opset, target, batch):
    model = torch_like.build(opset=opset, batch=batch)
    result = weft.compile(model, target=target, keep_stages=True)
    graph = result.stages["graph"]
    assert 'loc("/layers.0/fc1/MatMul"' in graph
    assert result.schedules and all(l.proven_optimal
                                    for l in result.schedules)
    fused = result.stages["fused"]
    assert fused.count("weft.kernel @") >= 2


def test_torch_shaped_model_errors_name_the_node():
    with pytest.raises(weft.WeftError) as info:
        weft.compile(torch_like.build(bad_node=True), target="sm_90a")
    assert "/layers.0/TopK" in info.value.diagnostics
    # Past the import too (the Erf form of GELU becomes a MatMul prologue,
    # which tiling does not take yet).
    with pytest.raises(weft.WeftError) as info:
        weft.compile(torch_like.build(act="gelu"), target="arm-sme2")
    assert "node '/layers.0/fc2/MatMul': error" in info.value.diagnostics
