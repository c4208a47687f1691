"""Solving schedules through the bindings and drawing them."""
import xml.etree.ElementTree as ET

import pytest

import weft

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def fa3(root):
    text = (root / "docs" / "examples" / "flash_attention_fwd.mlir").read_text()
    events = []
    # Named as weft-opt names stdin, so that locations match schedule_ir's.
    module = weft.Module.parse(text, name="<stdin>")
    loops = weft.solve_schedule(module, "sm_90a", progress=events.append)
    assert "#pipe.schedule" not in str(module)  # solved on a copy
    return loops, events


def test_fa3_schedule_reads_back(fa3):
    (loop,), events = fa3
    assert loop.proven_optimal and loop.certificate.proven_optimal
    assert loop.ii == loop.lower_bound  # FA3 reaches its bound
    roles = sorted(p.role for p in loop.partitions)
    assert roles.count("load") == 1 and len(roles) == 3
    load = next(p for p in loop.partitions if p.role == "load")
    assert load.registers < max(p.registers for p in loop.partitions)
    kinds = {op.kind for op in loop.ops}
    assert {"tma_load", "mma", "exp"} <= kinds
    for op in loop.ops:
        assert op.stage == op.cycle // loop.ii
        assert 0 <= op.partition < len(loop.partitions)
    assert str(loop).splitlines() == [
        f"fa_fwd: II {loop.ii} = {loop.ii_cycles} cycles, lower bound "
        f"{loop.lower_bound}, proven optimal, {loop.stages} stages",
        "    partition 0: load, 24 registers",
        "    partition 1: consumer, 240 registers",
        "    partition 2: consumer, 240 registers"]
    assert events and events[0].kind == "solver"
    assert events[0].lower_bound == loop.lower_bound


def test_schedule_matches_the_json_export(fa3, root):
    (loop,), _ = fa3
    (exported,) = weft.schedule_ir(
        (root / "docs" / "examples" / "flash_attention_fwd.mlir").read_text(),
        "sm_90a")
    assert loop.to_dict() == exported


def test_svg_has_one_bar_per_op_and_iteration(fa3):
    (loop,), _ = fa3
    for iterations in (2, 3):
        root = ET.fromstring(loop.svg(iterations))
        (group,) = root.findall(f"{SVG}g[@class='loop']")
        for part in group.findall(f"{SVG}g[@class='partition']"):
            index = int(part.get("data-partition"))
            ops = [op for op in loop.ops if op.partition == index]
            bars = part.findall(f"{SVG}rect[@class='op']")
            assert len(bars) == len(ops) * iterations


def test_plot_schedule_from_objects(fa3, tmp_path):
    (loop,), _ = fa3
    png = weft.plot_schedule(loop, path=tmp_path / "fa3.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = weft.plot_schedule(loop, tmp_path / "fa3.svg", iterations=2)
    assert svg.read_text() == loop.svg(2)


def test_schedule_errors():
    with pytest.raises(weft.WeftError) as info:
        weft.solve_schedule("func.func @f() { return }", "sm_42")
    assert "unknown target 'sm_42'" in info.value.diagnostics
    module = weft.Module.parse("func.func @f() { return }")
    assert module.schedules() == []
